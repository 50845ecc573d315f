import { GrpcCode, type ProviderOutcome } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** What an error answer can mean; a decline is a failure code's, never an answer to a request. */
export type XenditErrorOutcome = Exclude<ProviderOutcome, { kind: "declined" }>;

/** A failure code's row: the decline, with words for the payment's failure message. */
type Failure = Extract<ProviderOutcome, { kind: "declined" }>;

const invalid = (reason: ErrorReason, field?: string): XenditErrorOutcome => ({
  kind: "refused",
  reason,
  code: GrpcCode.INVALID_ARGUMENT,
  ...(field === undefined ? {} : { field }),
});
const precondition = (reason: ErrorReason, field?: string): XenditErrorOutcome => ({
  kind: "refused",
  reason,
  code: GrpcCode.FAILED_PRECONDITION,
  ...(field === undefined ? {} : { field }),
});
const failed = (reason: ErrorReason, message: string): Failure => ({ kind: "declined", reason, message });
// Nothing was created, so the router may drive the payment again later.
const rateLimited: XenditErrorOutcome = {
  kind: "refused",
  reason: ErrorReason.PROVIDER_RATE_LIMITED,
  code: GrpcCode.RESOURCE_EXHAUSTED,
  retryLater: true,
};

/**
 * THE table: every Xendit error code (answers to requests) and failure code (how a payout ended)
 * that Xendit documents for disbursements, to a Paymesh outcome. Codes marked *unconfirmed* are
 * not in that list but look like Xendit's public API reference.
 */
const TABLE: ReadonlyMap<string, XenditErrorOutcome | Failure> = new Map<
  string,
  XenditErrorOutcome | Failure
>([
  // Error codes: request-level, nothing created.
  ["API_VALIDATION_ERROR", invalid(ErrorReason.INVALID_FIELD)],
  ["BANK_CODE_NOT_SUPPORTED_ERROR", invalid(ErrorReason.BANK_NOT_SUPPORTED, "bank_transfer.bank_code")],
  ["RECIPIENT_ACCOUNT_NUMBER_ERROR", invalid(ErrorReason.INVALID_FIELD, "bank_transfer.account_number")],
  // Below the destination's minimum: the caller's amount is out of range.
  ["RECIPIENT_AMOUNT_ERROR", invalid(ErrorReason.AMOUNT_OUT_OF_RANGE, "amount.minor_units")],
  // Above a bank's or the account's maximum, which Describe's limit already passed: a business limit.
  ["MAXIMUM_TRANSFER_LIMIT_ERROR", precondition(ErrorReason.LIMIT_EXCEEDED, "amount.minor_units")],
  // The key was used before: the payout is fetched by external_id.
  ["DUPLICATE_TRANSACTION_ERROR", { kind: "duplicate" }],
  // Our key lacks the money-out permission: configuration, not the caller.
  ["REQUEST_FORBIDDEN_ERROR", precondition(ErrorReason.PROVIDER_AUTH_FAILED)],
  // Xendit failed and may have created the payout: retried with the same key, then looked up.
  ["SERVER_ERROR", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
  // *unconfirmed*: wrong or missing secret key (HTTP 401).
  ["INVALID_API_KEY", precondition(ErrorReason.PROVIDER_AUTH_FAILED)],
  // *unconfirmed*: get by id or by external_id found nothing (HTTP 404).
  ["DISBURSEMENT_NOT_FOUND_ERROR", { kind: "not-found" }],
  ["DIRECT_DISBURSEMENT_NOT_FOUND_ERROR", { kind: "not-found" }],
  // *unconfirmed*: HTTP 429.
  ["RATE_LIMIT_EXCEEDED", rateLimited],

  // Failure codes: the payout was accepted and then failed.
  [
    "INSUFFICIENT_BALANCE",
    failed(ErrorReason.INSUFFICIENT_FUNDS, "the Xendit balance could not cover the payout"),
  ],
  [
    "INVALID_DESTINATION",
    failed(
      ErrorReason.INVALID_DESTINATION,
      "the destination account does not exist or cannot receive transfers",
    ),
  ],
  ["REJECTED_BY_BANK", failed(ErrorReason.REJECTED_BY_BANK, "the destination bank rejected the transfer")],
  [
    "TEMPORARY_BANK_NETWORK_ERROR",
    failed(
      ErrorReason.PROVIDER_UNAVAILABLE,
      "the bank network was temporarily unavailable; a new payout may succeed",
    ),
  ],
  [
    "UNKNOWN_BANK_NETWORK_ERROR",
    failed(ErrorReason.PROVIDER_ERROR, "the bank network returned an unknown error"),
  ],
  ["TRANSFER_ERROR", failed(ErrorReason.PROVIDER_DECLINED, "Xendit could not process the transfer")],
]);

/** The outcome of an error answer; an unknown code falls back on its HTTP status. */
export function xenditErrorOutcome(errorCode: string, httpStatus: number): XenditErrorOutcome {
  const known = TABLE.get(errorCode);
  if (known !== undefined && known.kind !== "declined") return known;
  if (httpStatus === 400) return invalid(ErrorReason.INVALID_FIELD);
  if (httpStatus === 401 || httpStatus === 403) return precondition(ErrorReason.PROVIDER_AUTH_FAILED);
  if (httpStatus === 404) return { kind: "not-found" };
  if (httpStatus === 409) return { kind: "duplicate" };
  if (httpStatus === 429) return rateLimited;
  if (httpStatus >= 500) return { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE };
  return precondition(ErrorReason.PROVIDER_ERROR);
}

/** Why a FAILED payout failed, in unified and Xendit terms; unknown codes are a decline. */
export function xenditFailure(failureCode: string | undefined): {
  reason: ErrorReason;
  message: string;
  providerCode: string;
} {
  const code = failureCode ?? "";
  const known = TABLE.get(code);
  if (known?.kind === "declined") {
    return { reason: known.reason, message: known.message ?? "the payout failed", providerCode: code };
  }
  return { reason: ErrorReason.PROVIDER_DECLINED, message: "the payout failed", providerCode: code };
}

/** Every code in the table, so tests can prove each one is mapped. */
export const MAPPED_CODES: readonly string[] = [...TABLE.keys()];
