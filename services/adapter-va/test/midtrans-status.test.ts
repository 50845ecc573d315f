import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { failureFromMidtrans, paymentStatusFromMidtrans } from "../src/midtrans-status.ts";

describe("paymentStatusFromMidtrans", () => {
  it.each([
    ["pending", "", PaymentStatus.REQUIRES_ACTION],
    ["settlement", "", PaymentStatus.SUCCEEDED],
    ["capture", "accept", PaymentStatus.SUCCEEDED],
    ["capture", "challenge", PaymentStatus.PROCESSING],
    ["expire", "", PaymentStatus.EXPIRED],
    ["cancel", "", PaymentStatus.CANCELED],
    ["deny", "", PaymentStatus.FAILED],
    ["failure", "", PaymentStatus.FAILED],
    ["refund", "", PaymentStatus.SUCCEEDED],
    ["partial_refund", "", PaymentStatus.SUCCEEDED],
    ["chargeback", "", PaymentStatus.SUCCEEDED],
    ["authorize", "", PaymentStatus.PROCESSING],
    ["capture", "deny", PaymentStatus.FAILED],
  ])("%s (fraud_status %s)", (transactionStatus, fraudStatus, status) => {
    expect(paymentStatusFromMidtrans(transactionStatus, fraudStatus)).toBe(status);
  });
});

describe("failureFromMidtrans", () => {
  it("explains deny, failure and expire with Midtrans's status_code; nothing for the others", () => {
    expect(
      failureFromMidtrans({ transaction_status: "deny", status_code: "202", status_message: "Denied" }),
    ).toEqual({
      reason: ErrorReason.PROVIDER_DECLINED,
      message: "Denied",
      providerCode: "202",
    });
    expect(failureFromMidtrans({ transaction_status: "expire", status_code: "407" })).toMatchObject({
      reason: ErrorReason.PAYMENT_EXPIRED,
      providerCode: "407",
    });
    expect(failureFromMidtrans({ transaction_status: "failure", status_code: "200" })?.reason).toBe(
      ErrorReason.PROVIDER_ERROR,
    );
    for (const status of ["pending", "settlement", "cancel"]) {
      expect(failureFromMidtrans({ transaction_status: status, status_code: "200" })).toBeUndefined();
    }
  });
});
