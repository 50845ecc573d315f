import { GrpcCode, ProviderTransportError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import type { WiseExchange } from "../src/wise-client.ts";
import { fieldForPath, wiseError, wiseOutcome, wiseTransportFailure } from "../src/wise-error-map.ts";

describe("wiseOutcome: every documented Wise answer", () => {
  const refused = (reason: ErrorReason, code: number) => ({ kind: "refused", reason, code });
  const cases: Array<[number, string, unknown]> = [
    [422, "NOT_VALID", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
    [400, "NOT_VALID", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
    [404, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
    [422, "quote.not.found", refused(ErrorReason.QUOTE_NOT_FOUND, GrpcCode.INVALID_ARGUMENT)],
    [422, "quote.expired", refused(ErrorReason.QUOTE_EXPIRED, GrpcCode.FAILED_PRECONDITION)],
    [409, "quote.already.used", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
    [404, "transfer.not.found", { kind: "not-found" }],
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

/** A round trip that got no usable answer, `sent` or provably not. */
function lost(operation: WiseExchange["operation"], sent: boolean): ProviderTransportError {
  const exchange: WiseExchange = {
    operation,
    httpMethod: "POST",
    url: "http://wise.test/v1/transfers",
    requestBody: "",
    startedAt: new Date(0),
    durationMicros: 1,
    transportError: sent ? "timed out" : "ECONNREFUSED",
  };
  return new ProviderTransportError(exchange.transportError ?? "", { sent, exchange });
}

describe("wiseError and wiseTransportFailure", () => {
  it("sharpens a field error on a currency or amount and keeps Wise's code", () => {
    const currency = wiseError("createQuote", {
      status: 422,
      errors: [{ code: "NOT_VALID", message: "no route", path: "targetCurrency" }],
    });
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
    const amount = wiseError("createQuote", {
      status: 422,
      errors: [{ code: "NOT_VALID", message: "too low", path: "sourceAmount" }],
    });
    expect(amount.reason).toBe(ErrorReason.AMOUNT_OUT_OF_RANGE);
    const recipientCurrency = wiseError("createRecipient", {
      status: 422,
      errors: [{ code: "NOT_VALID", message: "x", path: "currency" }],
    });
    expect(recipientCurrency.reason).toBe(ErrorReason.CURRENCY_NOT_SUPPORTED);
    const account = wiseError("createRecipient", {
      status: 422,
      errors: [{ code: "NOT_VALID", message: "bad", path: "accountNumber" }],
    });
    expect(account.reason).toBe(ErrorReason.INVALID_FIELD);
  });

  it("a transfer Wise does not know is NOT_FOUND PAYMENT_NOT_FOUND, with Wise's code", () => {
    const error = wiseError("cancelTransfer", {
      status: 404,
      errors: [{ code: "transfer.not.found", message: "no such transfer", path: undefined }],
    });
    expect({ code: error.code, reason: error.reason, provider: error.metadata.provider_code }).toEqual({
      code: GrpcCode.NOT_FOUND,
      reason: ErrorReason.PAYMENT_NOT_FOUND,
      provider: "transfer.not.found",
    });
  });

  it("a 5xx is OUTCOME_UNKNOWN only for a call that may have moved money, else UNAVAILABLE with the table's reason", () => {
    const failed = { status: 504, errors: [{ code: "GATEWAY_TIMEOUT", message: "", path: undefined }] };
    expect(wiseError("createTransfer", failed)).toMatchObject({
      reason: ErrorReason.OUTCOME_UNKNOWN,
      code: GrpcCode.DEADLINE_EXCEEDED,
    });
    expect(wiseError("getTransfer", failed)).toMatchObject({
      reason: ErrorReason.PROVIDER_TIMEOUT,
      code: GrpcCode.UNAVAILABLE,
      metadata: { provider_code: "GATEWAY_TIMEOUT" },
    });
  });

  it("a lost answer is OUTCOME_UNKNOWN only for a creation that may have happened", () => {
    expect(wiseTransportFailure("createTransfer", lost("createTransfer", true))).toMatchObject({
      reason: ErrorReason.OUTCOME_UNKNOWN,
      code: GrpcCode.DEADLINE_EXCEEDED,
    });
    const unsent = wiseTransportFailure("createTransfer", lost("createTransfer", false));
    expect(unsent).toMatchObject({
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
      code: GrpcCode.UNAVAILABLE,
      metadata: { reached_provider: "false" },
    });
    expect(unsent.neverReachedProvider).toBe(true);
    const read = wiseTransportFailure("getTransfer", lost("getTransfer", true));
    expect(read).toMatchObject({ code: GrpcCode.UNAVAILABLE });
    expect(read.neverReachedProvider).toBe(false);
  });
});
