import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { thrown } from "@paymesh/adapter-kit/testing";
import { adapterv1, VirtualAccountBank } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { buildChargeRequest } from "../src/midtrans-wire.ts";

const now = new Date("2024-03-05T03:00:00.250Z");

function request(
  method: { bank: VirtualAccountBank; customVaNumber?: string; customerName?: string },
  extra: { minorUnits?: bigint; expiresAt?: Date; paymentId?: string } = {},
) {
  return create(adapterv1.CreatePaymentRequestSchema, {
    paymentId: extra.paymentId ?? "pay_01hq3v6q4n7s2m5k9r1t0w3yab",
    amount: { currency: "IDR", minorUnits: extra.minorUnits ?? 25_000_00n },
    method: { case: "virtualAccount", value: method },
    ...(extra.expiresAt === undefined ? {} : { expiresAt: timestampFromDate(extra.expiresAt) }),
  });
}

function fieldOf(build: () => unknown): { field: string | undefined; reason: string } {
  const error = thrown(build);
  return { field: error.field, reason: error.reasonName };
}

describe("buildChargeRequest", () => {
  it("builds the Midtrans charge: order_id = payment id, whole rupiah, Midtrans's bank name", () => {
    expect(
      buildChargeRequest(request({ bank: VirtualAccountBank.BNI, customerName: " Budi " }), now),
    ).toEqual({
      payment_type: "bank_transfer",
      transaction_details: { order_id: "pay_01hq3v6q4n7s2m5k9r1t0w3yab", gross_amount: 25_000 },
      bank_transfer: { bank: "bni" },
      customer_details: { first_name: "Budi" },
    });
  });

  it("adds Permata's recipient_name and the custom VA number", () => {
    const charge = buildChargeRequest(
      request({
        bank: VirtualAccountBank.PERMATA,
        customVaNumber: "1234567890",
        customerName: "Siti Aminah",
      }),
      now,
    );
    expect(charge.bank_transfer).toEqual({
      bank: "permata",
      va_number: "1234567890",
      permata: { recipient_name: "SITI AMINAH" },
    });
  });

  it.each([
    [VirtualAccountBank.BCA, ["123456", "12345678901"], ["12345", "123456789012", "12345a"]],
    [VirtualAccountBank.BNI, ["12345678", "123456789012"], ["1234567", "1234567890", "1234567890123"]],
    [VirtualAccountBank.BRI, ["123456789012345678"], ["12345678901234567", "1234567890123456789"]],
    [VirtualAccountBank.PERMATA, ["1234567890"], ["123456789", "12345678901"]],
  ])("custom VA lengths for bank %s", (bank, valid, invalid) => {
    for (const number of valid) {
      expect(buildChargeRequest(request({ bank, customVaNumber: number }), now).bank_transfer.va_number).toBe(
        number,
      );
    }
    for (const number of invalid) {
      expect(fieldOf(() => buildChargeRequest(request({ bank, customVaNumber: number }), now))).toEqual({
        field: "virtual_account.custom_va_number",
        reason: "INVALID_FIELD",
      });
    }
  });

  it("refuses cents, an unspecified or unknown bank, a bad order_id, a long Permata name", () => {
    const cases: Array<[() => unknown, string, string]> = [
      [
        () => buildChargeRequest(request({ bank: 1 }, { minorUnits: 25_000_01n }), now),
        "amount.minor_units",
        "INVALID_FIELD",
      ],
      [
        () => buildChargeRequest(request({ bank: VirtualAccountBank.UNSPECIFIED }), now),
        "virtual_account.bank",
        "MISSING_FIELD",
      ],
      [
        () => buildChargeRequest(request({ bank: 99 as VirtualAccountBank }), now),
        "virtual_account.bank",
        "BANK_NOT_SUPPORTED",
      ],
      [
        () => buildChargeRequest(request({ bank: 1 }, { paymentId: "pay 1" }), now),
        "payment_id",
        "INVALID_FIELD",
      ],
      [
        () =>
          buildChargeRequest(
            request({ bank: VirtualAccountBank.PERMATA, customerName: "A".repeat(21) }),
            now,
          ),
        "virtual_account.customer_name",
        "INVALID_FIELD",
      ],
    ];
    for (const [build, field, reason] of cases) expect(fieldOf(build)).toEqual({ field, reason });
  });

  it("refuses a non-VA method with METHOD_NOT_SUPPORTED on `method`", () => {
    const qris = create(adapterv1.CreatePaymentRequestSchema, {
      paymentId: "pay_1",
      method: { case: "qris", value: {} },
    });
    expect(fieldOf(() => buildChargeRequest(qris, now))).toEqual({
      field: "method",
      reason: "METHOD_NOT_SUPPORTED",
    });
  });

  it("turns expires_at into a custom_expiry that ends on exactly that second", () => {
    const expiresAt = new Date("2024-03-05T04:30:45.900Z");
    const { custom_expiry } = buildChargeRequest(request({ bank: 1 }, { expiresAt }), now);
    // 90.75 minutes away (to the whole second) → 91 minutes, counted from 09:59:45 WIB, ends 11:30:45 WIB = 04:30:45Z.
    expect(custom_expiry).toEqual({
      order_time: "2024-03-05 09:59:45 +0700",
      expiry_duration: 91,
      unit: "minute",
    });
    expect(
      fieldOf(() =>
        buildChargeRequest(request({ bank: 1 }, { expiresAt: new Date(now.getTime() - 1) }), now),
      ),
    ).toEqual({
      field: "expires_at",
      reason: "INVALID_FIELD",
    });
  });
});
