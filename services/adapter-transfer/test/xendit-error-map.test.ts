import { GrpcCode, outcomeError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { FAILURE_CODES_MAPPED, xenditErrorOutcome, xenditFailure } from "../src/xendit-error-map.ts";

describe("the Xendit error table", () => {
  it("maps every documented error code", () => {
    // The error codes Xendit documents for disbursements, and the HTTP status the simulator gives them.
    const expected: Array<[string, number, unknown]> = [
      [
        "API_VALIDATION_ERROR",
        400,
        { kind: "refused", reason: ErrorReason.INVALID_FIELD, code: GrpcCode.INVALID_ARGUMENT },
      ],
      [
        "BANK_CODE_NOT_SUPPORTED_ERROR",
        400,
        {
          kind: "refused",
          reason: ErrorReason.BANK_NOT_SUPPORTED,
          code: GrpcCode.INVALID_ARGUMENT,
          field: "bank_transfer.bank_code",
        },
      ],
      [
        "RECIPIENT_ACCOUNT_NUMBER_ERROR",
        400,
        {
          kind: "refused",
          reason: ErrorReason.INVALID_FIELD,
          code: GrpcCode.INVALID_ARGUMENT,
          field: "bank_transfer.account_number",
        },
      ],
      [
        "RECIPIENT_AMOUNT_ERROR",
        400,
        {
          kind: "refused",
          reason: ErrorReason.AMOUNT_OUT_OF_RANGE,
          code: GrpcCode.INVALID_ARGUMENT,
          field: "amount.minor_units",
        },
      ],
      [
        "MAXIMUM_TRANSFER_LIMIT_ERROR",
        400,
        {
          kind: "refused",
          reason: ErrorReason.LIMIT_EXCEEDED,
          code: GrpcCode.FAILED_PRECONDITION,
          field: "amount.minor_units",
        },
      ],
      ["DUPLICATE_TRANSACTION_ERROR", 400, { kind: "duplicate" }],
      [
        "REQUEST_FORBIDDEN_ERROR",
        403,
        { kind: "refused", reason: ErrorReason.PROVIDER_AUTH_FAILED, code: GrpcCode.FAILED_PRECONDITION },
      ],
      ["SERVER_ERROR", 500, { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
      [
        "INVALID_API_KEY",
        401,
        { kind: "refused", reason: ErrorReason.PROVIDER_AUTH_FAILED, code: GrpcCode.FAILED_PRECONDITION },
      ],
      ["DISBURSEMENT_NOT_FOUND_ERROR", 404, { kind: "not-found" }],
    ];
    for (const [code, status, outcome] of expected)
      expect(xenditErrorOutcome(code, status), code).toEqual(outcome);
  });

  it("maps every documented failure code to a unified reason, keeping Xendit's code", () => {
    const expected: Array<[string, ErrorReason]> = [
      ["INSUFFICIENT_BALANCE", ErrorReason.INSUFFICIENT_FUNDS],
      ["INVALID_DESTINATION", ErrorReason.INVALID_DESTINATION],
      ["REJECTED_BY_BANK", ErrorReason.REJECTED_BY_BANK],
      ["TEMPORARY_BANK_NETWORK_ERROR", ErrorReason.PROVIDER_UNAVAILABLE],
      ["SWITCHING_NETWORK_ERROR", ErrorReason.PROVIDER_UNAVAILABLE],
      ["TEMPORARY_TRANSFER_ERROR", ErrorReason.PROVIDER_UNAVAILABLE],
      ["UNKNOWN_BANK_NETWORK_ERROR", ErrorReason.PROVIDER_ERROR],
      ["TRANSFER_ERROR", ErrorReason.PROVIDER_DECLINED],
    ];
    for (const [code, reason] of expected) {
      const failure = xenditFailure(code);
      expect({ code, reason: failure?.reason, providerCode: failure?.providerCode }).toEqual({
        code,
        reason,
        providerCode: code,
      });
      expect(failure?.message).not.toBe("");
    }
    expect([...FAILURE_CODES_MAPPED].sort()).toEqual(expected.map(([code]) => code).sort());
  });

  it("falls back on the HTTP status for codes it does not know", () => {
    expect(xenditErrorOutcome("NEW_VALIDATION", 400)).toMatchObject({
      kind: "refused",
      code: GrpcCode.INVALID_ARGUMENT,
    });
    expect(xenditErrorOutcome("NEW_AUTH", 401)).toMatchObject({ reason: ErrorReason.PROVIDER_AUTH_FAILED });
    expect(xenditErrorOutcome("NEW_MISSING", 404)).toEqual({ kind: "not-found" });
    expect(xenditErrorOutcome("NEW_CONFLICT", 409)).toEqual({ kind: "duplicate" });
    expect(xenditErrorOutcome("RATE_LIMIT_EXCEEDED", 429)).toMatchObject({
      reason: ErrorReason.PROVIDER_RATE_LIMITED,
      code: GrpcCode.RESOURCE_EXHAUSTED,
    });
    expect(xenditErrorOutcome("TOO_MANY", 429)).toMatchObject({ reason: ErrorReason.PROVIDER_RATE_LIMITED });
    expect(xenditErrorOutcome("GATEWAY", 502)).toEqual({
      kind: "uncertain",
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
    });
    expect(xenditErrorOutcome("ODD", 418)).toMatchObject({ code: GrpcCode.FAILED_PRECONDITION });
    // A failure code arriving as an error code is not a refusal table row: the status decides.
    expect(xenditErrorOutcome("INSUFFICIENT_BALANCE", 400)).toMatchObject({ kind: "refused" });
  });

  it("builds refusals carrying Xendit's code and the field", () => {
    const outcome = xenditErrorOutcome("BANK_CODE_NOT_SUPPORTED_ERROR", 400);
    if (outcome.kind !== "refused") throw new Error("expected a refusal");
    const call = { provider: "Xendit", what: "create payout" };
    const error = outcomeError(outcome, {
      ...call,
      providerCode: "BANK_CODE_NOT_SUPPORTED_ERROR",
      providerMessage: "Destination bank code is not supported",
    });
    expect(error).toMatchObject({
      code: GrpcCode.INVALID_ARGUMENT,
      reason: ErrorReason.BANK_NOT_SUPPORTED,
      metadata: { field: "bank_transfer.bank_code", provider_code: "BANK_CODE_NOT_SUPPORTED_ERROR" },
    });
    expect(error.neverReachedProvider).toBe(false);
    const limited = xenditErrorOutcome("RATE_LIMIT_EXCEEDED", 429);
    if (limited.kind !== "refused") throw new Error("expected a refusal");
    const slowDown = outcomeError(limited, { ...call, providerCode: "RATE_LIMIT_EXCEEDED" });
    expect(slowDown).toMatchObject({
      code: GrpcCode.RESOURCE_EXHAUSTED,
      reason: ErrorReason.PROVIDER_RATE_LIMITED,
      metadata: { reached_provider: "false" },
    });
    expect(slowDown.neverReachedProvider).toBe(true);
  });
});
