import { GrpcCode } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { fieldForPath, wiseOutcome, wiseRefusal, wiseUnavailable } from "./wise-error-map.ts";
import { mapWiseState } from "./wise-status.ts";

describe("wiseOutcome: every documented Wise answer", () => {
  const refused = (reason: ErrorReason, code: number) => ({ kind: "refused", reason, code });
  const cases: Array<[number, string, unknown]> = [
    [422, "NOT_VALID", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
    [400, "NOT_VALID", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
    [404, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
    [422, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
    [422, "quote.expired", refused(ErrorReason.QUOTE_EXPIRED, GrpcCode.FAILED_PRECONDITION)],
    [409, "quote.already.used", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
    [404, "transfer.not.found", refused(ErrorReason.PAYMENT_NOT_FOUND, GrpcCode.NOT_FOUND)],
    [
      409,
      "transfer.cancel.not.allowed",
      refused(ErrorReason.PAYMENT_NOT_CANCELABLE, GrpcCode.FAILED_PRECONDITION),
    ],
    [409, "transfer.already.funded", { kind: "duplicate" }],
    [422, "transfer.not.fundable", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
    [200, "transfer.insufficient_funds", { kind: "declined", reason: ErrorReason.INSUFFICIENT_FUNDS }],
    [200, "balance.payment-option-unavailable", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
    [401, "invalid_token", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
    [403, "FORBIDDEN", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
    [429, "", refused(ErrorReason.PROVIDER_RATE_LIMITED, GrpcCode.RESOURCE_EXHAUSTED)],
    [500, "INTERNAL_ERROR", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
    [502, "", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
    [503, "", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
    [504, "GATEWAY_TIMEOUT", { kind: "uncertain", reason: ErrorReason.PROVIDER_TIMEOUT }],
    [418, "teapot", refused(ErrorReason.PROVIDER_ERROR, GrpcCode.FAILED_PRECONDITION)],
    [599, "", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
    [302, "", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
  ];
  for (const [status, code, outcome] of cases) {
    it(`${status} ${code || "(no code)"}`, () => expect(wiseOutcome(status, code)).toEqual(outcome));
  }
});

describe("fieldForPath", () => {
  it("names the Paymesh field for each operation's Wise paths", () => {
    expect(fieldForPath("createRecipient", "accountNumber")).toBe(
      "remittance.recipient.details.accountNumber",
    );
    expect(fieldForPath("createRecipient", "details.IBAN")).toBe("remittance.recipient.details.IBAN");
    expect(fieldForPath("createRecipient", "address.city")).toBe("remittance.recipient.details.address.city");
    expect(fieldForPath("createRecipient", "accountHolderName")).toBe(
      "remittance.recipient.account_holder_name",
    );
    expect(fieldForPath("createRecipient", "currency")).toBe("remittance.recipient.currency");
    expect(fieldForPath("createRecipient", "type")).toBe("remittance.recipient.type");
    expect(fieldForPath("createRecipient", "profile")).toBeUndefined();
    expect(fieldForPath("createTransfer", "quoteUuid")).toBe("remittance.quote_id");
    expect(fieldForPath("createTransfer", "details.reference")).toBe("remittance.reference");
    expect(fieldForPath("createTransfer", "targetAccount")).toBe("remittance.recipient");
    expect(fieldForPath("getQuote", "quoteId")).toBe("remittance.quote_id");
    expect(fieldForPath("createQuote", "targetCurrency")).toBe("target_currency");
    expect(fieldForPath("createQuote", "sourceAmount")).toBe("source_amount.minor_units");
    expect(fieldForPath("getTransfer", "id")).toBeUndefined();
  });
});

describe("wiseRefusal and wiseUnavailable", () => {
  it("sharpens a field error on a currency or amount and keeps Wise's code", () => {
    const outcome = {
      kind: "refused",
      reason: ErrorReason.INVALID_FIELD,
      code: GrpcCode.INVALID_ARGUMENT,
    } as const;
    const currency = wiseRefusal(
      outcome,
      "createQuote",
      [{ code: "NOT_VALID", message: "no route", path: "targetCurrency" }],
      422,
    );
    expect({
      reason: currency.reason,
      field: currency.field,
      code: currency.code,
      provider: currency.metadata.provider_code,
    }).toEqual({
      reason: ErrorReason.CURRENCY_NOT_SUPPORTED,
      field: "target_currency",
      code: GrpcCode.INVALID_ARGUMENT,
      provider: "NOT_VALID",
    });
    const amount = wiseRefusal(
      outcome,
      "createQuote",
      [{ code: "NOT_VALID", message: "too low", path: "sourceAmount" }],
      422,
    );
    expect(amount.reason).toBe(ErrorReason.AMOUNT_OUT_OF_RANGE);
    const recipientCurrency = wiseRefusal(
      outcome,
      "createRecipient",
      [{ code: "NOT_VALID", message: "x", path: "currency" }],
      422,
    );
    expect(recipientCurrency.reason).toBe(ErrorReason.CURRENCY_NOT_SUPPORTED);
    const account = wiseRefusal(
      outcome,
      "createRecipient",
      [{ code: "NOT_VALID", message: "bad", path: "accountNumber" }],
      422,
    );
    expect(account.reason).toBe(ErrorReason.INVALID_FIELD);
  });

  it("is OUTCOME_UNKNOWN only for a creation that may have happened", () => {
    expect(wiseUnavailable("x", { sent: true, creating: true })).toMatchObject({
      reason: ErrorReason.OUTCOME_UNKNOWN,
      code: GrpcCode.DEADLINE_EXCEEDED,
    });
    expect(wiseUnavailable("x", { sent: false, creating: true })).toMatchObject({
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
      code: GrpcCode.UNAVAILABLE,
      metadata: { reached_provider: "false" },
    });
    expect(wiseUnavailable("x", { sent: true, creating: false })).toMatchObject({
      code: GrpcCode.UNAVAILABLE,
    });
  });
});

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
