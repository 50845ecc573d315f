import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { mapWiseState, paymentFromTransfer } from "../src/wise-status.ts";

describe("mapWiseState: every Wise transfer state", () => {
  const cases: Array<[string, PaymentStatus, ErrorReason | undefined]> = [
    ["incoming_payment_waiting", PaymentStatus.PROCESSING, undefined],
    ["processing", PaymentStatus.PROCESSING, undefined],
    ["funds_converted", PaymentStatus.PROCESSING, undefined],
    ["outgoing_payment_sent", PaymentStatus.SUCCEEDED, undefined],
    ["cancelled", PaymentStatus.CANCELED, undefined],
    ["funds_refunded", PaymentStatus.FAILED, ErrorReason.PROVIDER_DECLINED],
    ["bounced_back", PaymentStatus.FAILED, ErrorReason.PAYMENT_RETURNED],
    ["charged_back", PaymentStatus.FAILED, ErrorReason.PROVIDER_DECLINED],
    ["waiting_recipient_input_to_proceed", PaymentStatus.PROCESSING, undefined],
  ];
  for (const [state, status, reason] of cases) {
    it(state, () => {
      const mapped = mapWiseState(state);
      expect(mapped.status).toBe(status);
      expect(mapped.failure?.reason).toBe(reason);
      if (reason !== undefined) expect(mapped.failure?.providerCode).toBe(state);
    });
  }
});

describe("paymentFromTransfer", () => {
  it("reports the state, the transfer id and the source amount at its exponent", () => {
    const payment = paymentFromTransfer({
      id: "50000001",
      status: "bounced_back",
      targetAccount: "40000001",
      quoteUuid: "",
      sourceCurrency: "IDR",
      sourceValue: "1500000.00",
      targetCurrency: "GBP",
      targetValue: "75.00",
      customerTransactionId: "",
    });
    expect(payment).toMatchObject({
      status: PaymentStatus.FAILED,
      providerReference: "50000001",
      providerStatus: "bounced_back",
      amount: { currency: "IDR", minorUnits: 1_500_000_00n },
      failure: { reason: ErrorReason.PAYMENT_RETURNED, providerCode: "bounced_back" },
    });
  });
});
