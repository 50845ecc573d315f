import { GrpcCode, nothingCreated, outcomeError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { fieldOfValidation, midtransCall, midtransOutcome } from "../src/midtrans-error-map.ts";

describe("midtransOutcome: the status_code table", () => {
  it.each([
    ["202", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
    ["400", { kind: "refused", reason: ErrorReason.INVALID_FIELD, code: GrpcCode.INVALID_ARGUMENT }],
    [
      "401",
      { kind: "refused", reason: ErrorReason.PROVIDER_AUTH_FAILED, code: GrpcCode.FAILED_PRECONDITION },
    ],
    [
      "402",
      { kind: "refused", reason: ErrorReason.METHOD_NOT_SUPPORTED, code: GrpcCode.FAILED_PRECONDITION },
    ],
    ["404", { kind: "not-found" }],
    ["406", { kind: "duplicate" }],
    ["407", { kind: "refused", reason: ErrorReason.PAYMENT_EXPIRED, code: GrpcCode.FAILED_PRECONDITION }],
    [
      "410",
      { kind: "refused", reason: ErrorReason.PROVIDER_AUTH_FAILED, code: GrpcCode.FAILED_PRECONDITION },
    ],
    [
      "412",
      { kind: "refused", reason: ErrorReason.PAYMENT_NOT_CANCELABLE, code: GrpcCode.FAILED_PRECONDITION },
    ],
    [
      "429",
      { kind: "refused", reason: ErrorReason.PROVIDER_RATE_LIMITED, code: GrpcCode.RESOURCE_EXHAUSTED },
    ],
    ["500", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
    ["502", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
    ["503", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
    ["504", { kind: "uncertain", reason: ErrorReason.PROVIDER_TIMEOUT }],
    ["505", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
    ["418", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
  ])("%s", (statusCode, outcome) => {
    expect(midtransOutcome({ statusCode, statusMessage: "" })).toEqual(outcome);
  });
});

describe("a refusal as the kit's error", () => {
  it("carries the status_code and names the Paymesh field a validation message is about", () => {
    const answer = {
      statusCode: "400",
      statusMessage: "One or more parameters in the payload is invalid.",
      validationMessages: ["bank_transfer.va_number must be 8 or 12 digits for bni"],
    };
    const outcome = midtransOutcome(answer);
    if (outcome.kind !== "refused") throw new Error("400 should be refused");
    const error = outcomeError(outcome, midtransCall("charge", answer));
    expect(error).toMatchObject({ code: GrpcCode.INVALID_ARGUMENT, reason: ErrorReason.INVALID_FIELD });
    expect(error.metadata).toEqual({ field: "virtual_account.custom_va_number", provider_code: "400" });
    expect(error.message).toContain("bank_transfer.va_number must be 8 or 12 digits");
  });

  it("a failure whose outcome is known is UNAVAILABLE; never reached only when nothing was created", () => {
    const call = midtransCall("charge", { statusCode: "503", statusMessage: "Service unavailable" });
    const outcome = midtransOutcome({ statusCode: "503", statusMessage: "Service unavailable" });
    const read = outcomeError(
      { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE },
      { ...call, readOnly: true },
    );
    expect(read).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_UNAVAILABLE });
    expect(read.metadata).toEqual({ provider_code: "503" });
    const settled = nothingCreated(outcome, call);
    expect(settled.metadata).toEqual({ provider_code: "503", reached_provider: "false" });
    expect(settled.message).toContain("nothing was created");
  });

  it.each([
    ["bank_transfer.permata.recipient_name is too long", "virtual_account.customer_name"],
    ["bank_transfer.bank must be one of", "virtual_account.bank"],
    ["transaction_details.gross_amount must be a positive integer", "amount.minor_units"],
    ["transaction_details.order_id is invalid", "payment_id"],
    ["custom_expiry must end in the future", "expires_at"],
    ["something else entirely", undefined],
  ])("%s → %s", (message, field) => {
    expect(fieldOfValidation([message])).toBe(field);
  });
});
