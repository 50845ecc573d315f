import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, errorSummary, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { createTestClock, unusedPort, useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { FAILURE_CODES, simulatorDefaults } from "../sandbox/index.ts";
import { createXenditClient } from "../src/xendit-client.ts";
import { listXenditSettlements } from "../src/xendit-settlements.ts";
import { type CreateRequestInit, startHarness, transferRequest } from "./harness.ts";

const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));
const harness = useFixture(
  () => startHarness({ simulator: { clock: clock.now } }),
  (started) => started.simulator.reset(),
);

describe("CreatePayment", () => {
  it("creates a PROCESSING payout, recording masked exchanges", async () => {
    const request = transferRequest();
    const { payment, exchanges } = await harness().client.createPayment(request, deadline());
    expect(payment).toMatchObject({
      status: PaymentStatus.PROCESSING,
      providerStatus: "PENDING",
      amount: { currency: "IDR", minorUnits: 15_000_000n },
    });
    expect(payment?.providerReference).toMatch(/^[0-9a-f]{24}$/);
    expect(exchanges.map((e) => [e.operation, e.responseStatus])).toEqual([["createDisbursement", 200]]);
    expect(exchanges[0]?.requestBody).toContain(
      '"account_number":"****7890","description":"Refund order 42"',
    );
    const everything =
      JSON.stringify(harness().logged.slice(-1)) +
      exchanges.map((e) => e.requestBody + e.responseBody).join();
    expect(everything).not.toMatch(/1234567890|Budi|Santoso/);
    expect(harness().simulator.stats().charges).toBe(1);
  });

  it("translates Bank Indonesia codes and any case into Xendit's bank names", async () => {
    for (const [given, sent] of [
      ["014", "BCA"],
      ["mandiri", "MANDIRI"],
      ["451", "BSI"],
    ] as const) {
      const accountNumber = sent === "MANDIRI" ? "1234567890123" : "1234567890";
      const { exchanges } = await harness().client.createPayment(
        transferRequest({ bankCode: given, accountNumber }),
        deadline(),
      );
      expect(exchanges[0]?.requestBody).toContain(`"bank_code":"${sent}"`);
    }
  });

  it("is idempotent on payment_id: Xendit's duplicate answer resolves to the same payout", async () => {
    const request = transferRequest();
    const first = await harness().client.createPayment(request, deadline());
    const second = await harness().client.createPayment(request, deadline());
    expect(second.payment?.providerReference).toBe(first.payment?.providerReference);
    expect(second.exchanges.map((e) => [e.operation, e.responseStatus])).toEqual([
      ["createDisbursement", 400],
      ["findDisbursements", 200],
    ]);
    expect(second.exchanges[0]?.responseBody).toContain("DUPLICATE_TRANSACTION_ERROR");
    expect(harness().simulator.stats().charges).toBe(1);
  });

  it("is idempotent when Xendit replays the original answer instead", async () => {
    await harness().simulator.configure({ idempotencyMode: "replay" });
    const request = transferRequest();
    const first = await harness().client.createPayment(request, deadline());
    const second = await harness().client.createPayment(request, deadline());
    expect(second.payment?.providerReference).toBe(first.payment?.providerReference);
    expect(second.exchanges.map((e) => e.responseStatus)).toEqual([200]);
    expect(harness().simulator.stats().charges).toBe(1);
  });

  it("refuses bad input before calling Xendit, naming the field", async () => {
    const base = transferRequest();
    const cases: Array<[string, CreateRequestInit, string, string]> = [
      [
        "cents",
        { ...base, amount: { currency: "IDR", minorUnits: 15_000_050n } },
        "amount.minor_units",
        "INVALID_FIELD",
      ],
      [
        "unknown bank",
        transferRequest({ bankCode: "NOPE" }),
        "bank_transfer.bank_code",
        "BANK_NOT_SUPPORTED",
      ],
      [
        "not digits",
        transferRequest({ accountNumber: "12345abcde" }),
        "bank_transfer.account_number",
        "INVALID_FIELD",
      ],
      [
        "BCA length",
        transferRequest({ accountNumber: "123456789012" }),
        "bank_transfer.account_number",
        "INVALID_FIELD",
      ],
      [
        "no name",
        transferRequest({ accountHolderName: "  " }),
        "bank_transfer.account_holder_name",
        "MISSING_FIELD",
      ],
      [
        "digits as name",
        transferRequest({ accountHolderName: "12345" }),
        "bank_transfer.account_holder_name",
        "INVALID_FIELD",
      ],
      ["no bank", transferRequest({ bankCode: "" }), "bank_transfer.bank_code", "MISSING_FIELD"],
      [
        "over the limit",
        transferRequest({ rupiah: 100_000_001n }),
        "amount.minor_units",
        "AMOUNT_OUT_OF_RANGE",
      ],
      ["under the limit", transferRequest({ rupiah: 9_999n }), "amount.minor_units", "AMOUNT_OUT_OF_RANGE"],
      [
        "a QRIS request",
        { ...base, method: { case: "qris", value: { terminalLabel: "" } } },
        "method",
        "METHOD_NOT_SUPPORTED",
      ],
      ["long description", { ...base, description: "d".repeat(256) }, "description", "INVALID_FIELD"],
    ];
    for (const [name, request, field, reason] of cases) {
      const error = await rejection(harness().client.createPayment(request, deadline()));
      expect({ name, ...errorSummary(error) }).toMatchObject({
        name,
        code: GrpcCode.INVALID_ARGUMENT,
        field,
        reason,
      });
    }
    expect(harness().simulator.stats().requests).toEqual({});
  });

  it("maps each magic creation error through the table", async () => {
    const cases: Array<[bigint, Record<string, unknown>, number, number]> = [
      [10_400n, { code: GrpcCode.INVALID_ARGUMENT, reason: "INVALID_FIELD" }, 0, 1],
      [
        10_401n,
        { code: GrpcCode.INVALID_ARGUMENT, reason: "BANK_NOT_SUPPORTED", field: "bank_transfer.bank_code" },
        0,
        1,
      ],
      [
        10_402n,
        { code: GrpcCode.INVALID_ARGUMENT, reason: "INVALID_FIELD", field: "bank_transfer.account_number" },
        0,
        1,
      ],
      [
        10_403n,
        { code: GrpcCode.INVALID_ARGUMENT, reason: "AMOUNT_OUT_OF_RANGE", field: "amount.minor_units" },
        0,
        1,
      ],
      [
        10_404n,
        { code: GrpcCode.FAILED_PRECONDITION, reason: "LIMIT_EXCEEDED", field: "amount.minor_units" },
        0,
        1,
      ],
      [10_405n, { code: GrpcCode.FAILED_PRECONDITION, reason: "PROVIDER_AUTH_FAILED" }, 0, 1],
      // Key spent elsewhere, nothing under this external_id: left open, never guessed failed.
      [10_409n, { code: GrpcCode.UNAVAILABLE, reason: "OUTCOME_UNKNOWN" }, 0, 1],
      // SERVER_ERROR every time: retried with the same key up to the 3 attempts, then left open.
      [10_500n, { code: GrpcCode.UNAVAILABLE, reason: "PROVIDER_ERROR", providerCode: "SERVER_ERROR" }, 0, 3],
    ];
    for (const [rupiah, expected, charges, creates] of cases) {
      harness().simulator.reset();
      const error = await rejection(harness().client.createPayment(transferRequest({ rupiah }), deadline()));
      expect({ rupiah, ...errorSummary(error) }).toMatchObject({ rupiah, ...expected });
      expect(harness().simulator.stats()).toMatchObject({
        charges,
        requests: { "create-disbursement": creates },
      });
    }
  });

  it("resolves SERVER_ERROR after the payout was made (magic 10.501) to that payout", async () => {
    const { payment, exchanges } = await harness().client.createPayment(
      transferRequest({ rupiah: 10_501n }),
      deadline(),
    );
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(exchanges.map((e) => e.responseStatus)).toEqual([500, 400, 200]);
    expect(harness().simulator.stats().charges).toBe(1);
  });

  it("retries an injected SERVER_ERROR with the same key", async () => {
    await harness().simulator.configure({ failNext: { count: 1, error_code: "SERVER_ERROR" } });
    const { payment, exchanges } = await harness().client.createPayment(transferRequest(), deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(exchanges.map((e) => e.responseStatus)).toEqual([500, 200]);
    expect(harness().simulator.stats().charges).toBe(1);
  });

  it("does not repeat a creation whose answer was lost: the lookup decides, else the outcome stays open", async () => {
    await harness().simulator.configure({ resetConnections: 1 });
    const error = await rejection(harness().client.createPayment(transferRequest(), deadline()));
    expect(errorSummary(error)).toMatchObject({
      code: GrpcCode.DEADLINE_EXCEEDED,
      reason: "OUTCOME_UNKNOWN",
    });
    expect(harness().simulator.stats()).toMatchObject({
      charges: 0,
      requests: { "create-disbursement": 1, "get-disbursements-by-external-id": 1 },
    });
  });

  it("says when Xendit was never reached, and when our key is refused", async () => {
    const port = await unusedPort();
    const unreachable = await startHarness({ xendit: { baseUrl: `http://127.0.0.1:${port}` } });
    const wrongKey = await startHarness({ xendit: { secretKey: "FAKE-wrong-key" } });
    const readOnly = await startHarness({ xendit: { secretKey: simulatorDefaults.readOnlySecretKey } });
    try {
      const down = await rejection(unreachable.client.createPayment(transferRequest(), deadline()));
      expect(errorSummary(down)).toMatchObject({
        code: GrpcCode.UNAVAILABLE,
        reason: "PROVIDER_UNAVAILABLE",
      });
      expect(down.metadata.reached_provider).toBe("false");
      const refused = await rejection(wrongKey.client.createPayment(transferRequest(), deadline()));
      expect(errorSummary(refused)).toMatchObject({
        code: GrpcCode.FAILED_PRECONDITION,
        reason: "PROVIDER_AUTH_FAILED",
        providerCode: "INVALID_API_KEY",
      });
      const forbidden = await rejection(readOnly.client.createPayment(transferRequest(), deadline()));
      expect(errorSummary(forbidden)).toMatchObject({
        reason: "PROVIDER_AUTH_FAILED",
        providerCode: "REQUEST_FORBIDDEN_ERROR",
      });
      expect(wrongKey.simulator.stats().charges + readOnly.simulator.stats().charges).toBe(0);
    } finally {
      await Promise.all([unreachable.close(), wrongKey.close(), readOnly.close()]);
    }
  });
});

describe("GetPaymentStatus, CancelPayment, ListSettlements", () => {
  it("reports each magic failure account's failure code as a FAILED payout", async () => {
    for (const [index, code] of FAILURE_CODES.entries()) {
      const request = transferRequest({ accountNumber: `9999999${101 + index}` });
      const created = await harness().client.createPayment(request, deadline());
      await harness().simulator.complete({ id: created.payment?.providerReference ?? "" });
      const { payment } = await harness().client.getPaymentStatus(
        { paymentId: request.paymentId },
        deadline(),
      );
      expect(payment?.status).toBe(PaymentStatus.FAILED);
      expect(payment?.failure?.providerCode).toBe(code);
      expect(payment?.failure?.reason).not.toBe(ErrorReason.UNSPECIFIED);
    }
  });

  it("reports SUCCEEDED by reference and by payment id; unknown ones are NOT_FOUND", async () => {
    const request = transferRequest();
    const created = await harness().client.createPayment(request, deadline());
    const reference = created.payment?.providerReference ?? "";
    await harness().simulator.complete({ id: reference });
    const byReference = await harness().client.getPaymentStatus(
      { paymentId: request.paymentId, providerReference: reference },
      deadline(),
    );
    expect(byReference.payment).toMatchObject({
      status: PaymentStatus.SUCCEEDED,
      providerStatus: "COMPLETED",
    });
    expect(byReference.exchanges[0]?.operation).toBe("getDisbursement");
    const unknown = await rejection(
      harness().client.getPaymentStatus({ paymentId: "pay_unknown" }, deadline()),
    );
    expect(errorSummary(unknown)).toMatchObject({ code: GrpcCode.NOT_FOUND, reason: "PAYMENT_NOT_FOUND" });
    // Someone else's reference does not answer for this payment.
    const other = await rejection(
      harness().client.getPaymentStatus({ paymentId: "pay_other", providerReference: reference }, deadline()),
    );
    expect(other.code).toBe(GrpcCode.NOT_FOUND);
  });

  it("refuses to cancel: Xendit disbursements cannot be withdrawn", async () => {
    const description = await harness().client.describe({}, deadline());
    expect(description).toMatchObject({
      provider: "xendit",
      currencies: ["IDR"],
      limits: [{ currency: "IDR", minMinorUnits: 1_000_000n, maxMinorUnits: 10_000_000_000n }],
    });
    const error = await rejection(harness().client.cancelPayment({ paymentId: "pay_any" }, deadline()));
    expect(errorSummary(error)).toMatchObject({
      code: GrpcCode.FAILED_PRECONDITION,
      reason: "PAYMENT_NOT_CANCELABLE",
    });
  });

  it("lists the payouts completed on a Jakarta day, with Xendit's fee", async () => {
    const made: string[] = [];
    for (const outcome of ["COMPLETED", "COMPLETED", "FAILED"] as const) {
      const request = transferRequest({ rupiah: 200_000n });
      const created = await harness().client.createPayment(request, deadline());
      await harness().simulator.complete(
        { id: created.payment?.providerReference ?? "" },
        { status: outcome },
      );
      if (outcome === "COMPLETED") made.push(request.paymentId);
    }
    const settlements = [];
    for await (const item of harness().client.listSettlements({ date: "2024-03-05" }, deadline()))
      settlements.push(item);
    const lines = settlements.flatMap((s) => s.settlements);
    expect(lines.map((s) => s.paymentId)).toEqual(made);
    expect(lines[0]).toMatchObject({
      amount: { currency: "IDR", minorUnits: 20_000_000n },
      fee: { currency: "IDR", minorUnits: 444_000n },
      providerStatus: "SUCCESS",
    });
    const none = [];
    for await (const item of harness().client.listSettlements({ date: "2024-03-06" }, deadline()))
      none.push(item);
    expect(none).toEqual([]);
    // Checked on the generator itself: the kit's serveAdapter ends a failed stream with
    // call.destroy(error), which grpc-js never turns into a status (the call waits for its deadline).
    const client = createXenditClient({
      baseUrl: harness().simulator.url,
      secretKey: simulatorDefaults.secretKey,
    });
    const signal = new AbortController().signal;
    const bad = await rejection(listXenditSettlements(client, { date: "5 March", signal }).next());
    expect(errorSummary(bad)).toMatchObject({ code: GrpcCode.INVALID_ARGUMENT, field: "date" });
  });
});
