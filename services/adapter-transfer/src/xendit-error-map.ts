import { GrpcCode, type ProviderOutcome, reportUnknownProviderValue } from "@paymesh/adapter-kit";
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
 * A temporary failure: Xendit's "Disbursement Errors" page ("Errors in executing the disbursement")
 * says to retry such a payout an hour or a few later. That failed disbursement is final, and its
 * idempotency key (the payment id) is spent, so the retry is a NEW payout: the payment ends FAILED
 * with PROVIDER_UNAVAILABLE and the caller makes a new payment. The adapter never re-sends.
 */
const temporary = (message: string): Failure =>
  failed(ErrorReason.PROVIDER_UNAVAILABLE, `${message}; a new payment may succeed later`);

/**
 * THE table: every Xendit error code (answers to requests) and failure code (how a payout ended)
 * that Xendit documents for disbursements, to a Paymesh outcome. Sources: Xendit's "Disbursement
 * Errors" page, sections "Errors in creating the disbursement" and "Errors in executing the
 * disbursement" (docs/providers.md, "Xendit Disbursements"). Codes marked *unconfirmed* are not on
 * that page but look like Xendit's public API reference.
 */
const TABLE: ReadonlyMap<string, XenditErrorOutcome | Failure> = new Map<
  string,
  XenditErrorOutcome | Failure
>([
  // Error codes: request-level, nothing created.
  ["API_VALIDATION_ERROR", invalid(ErrorReason.INVALID_FIELD)],
  // The adapter's own body did not parse at Xendit: nothing the caller can fix, nothing created.
  ["INVALID_JSON_FORMAT", precondition(ErrorReason.PROVIDER_ERROR)],
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

  // Failure codes: the payout was accepted and then failed; Xendit's advice on retrying in brackets.
  // [retry once the balance is topped up: a new payment, after someone tops it up]
  [
    "INSUFFICIENT_BALANCE",
    failed(ErrorReason.INSUFFICIENT_FUNDS, "the Xendit balance could not cover the payout"),
  ],
  // [retrying is unpredictable; at least an hour later if at all]: an error, not a promise of success.
  [
    "UNKNOWN_BANK_NETWORK_ERROR",
    failed(ErrorReason.PROVIDER_ERROR, "the bank network returned an error it does not document"),
  ],
  ["TEMPORARY_BANK_NETWORK_ERROR", temporary("the bank network was temporarily unavailable")],
  ["SWITCHING_NETWORK_ERROR", temporary("a switching network between the banks was unavailable")],
  ["TEMPORARY_TRANSFER_ERROR", temporary("Xendit met a temporary problem executing the transfer")],
  // [unlikely to succeed again: check the account with the recipient]
  [
    "INVALID_DESTINATION",
    failed(
      ErrorReason.INVALID_DESTINATION,
      "the destination account does not exist or cannot receive transfers",
    ),
  ],
  ["REJECTED_BY_BANK", failed(ErrorReason.REJECTED_BY_BANK, "the destination bank rejected the transfer")],
  // [fatal; contact Xendit]
  ["TRANSFER_ERROR", failed(ErrorReason.PROVIDER_DECLINED, "Xendit could not process the transfer")],
]);

/** Where an unknown value was read, for the report. */
export interface ReadingContext {
  /** The payment the answer is about, when known. */
  paymentId?: string | undefined;
}

/**
 * The outcome of an error answer. A code the table does not have is reported (field `error_code`)
 * and then judged by its HTTP status alone, the one thing about it Xendit's conventions fix.
 */
export function xenditErrorOutcome(
  errorCode: string,
  httpStatus: number,
  context: ReadingContext = {},
): XenditErrorOutcome {
  const known = TABLE.get(errorCode);
  if (known !== undefined && known.kind !== "declined") return known;
  reportUnknownProviderValue({
    adapter: "adapter-transfer",
    field: "error_code",
    value: errorCode,
    paymentId: context.paymentId,
  });
  if (httpStatus === 400) return invalid(ErrorReason.INVALID_FIELD);
  if (httpStatus === 401 || httpStatus === 403) return precondition(ErrorReason.PROVIDER_AUTH_FAILED);
  if (httpStatus === 404) return { kind: "not-found" };
  if (httpStatus === 409) return { kind: "duplicate" };
  if (httpStatus === 429) return rateLimited;
  if (httpStatus >= 500) return { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE };
  return precondition(ErrorReason.PROVIDER_ERROR);
}

/** Why a FAILED payout failed, in unified and Xendit terms. */
export interface XenditFailureReading {
  reason: ErrorReason;
  message: string;
  providerCode: string;
}

/**
 * Why a FAILED payout failed, or undefined for a failure code the table does not have (missing
 * included), after reporting it (field `failure_code`): the caller decides what an unexplained
 * failure means, it is never folded into a known reason.
 */
export function xenditFailure(
  failureCode: string | undefined,
  context: ReadingContext = {},
): XenditFailureReading | undefined {
  const code = failureCode ?? "";
  const known = TABLE.get(code);
  if (known?.kind === "declined") {
    return { reason: known.reason, message: known.message ?? "the payout failed", providerCode: code };
  }
  reportUnknownProviderValue({
    adapter: "adapter-transfer",
    field: "failure_code",
    value: code,
    paymentId: context.paymentId,
  });
  return undefined;
}

/** Every failure code in the table: the simulator and the vocabulary test hold it to Xendit's list. */
export const FAILURE_CODES_MAPPED: readonly string[] = [...TABLE]
  .filter(([, outcome]) => outcome.kind === "declined")
  .map(([code]) => code);

/** Every code in the table, so tests can prove each one is mapped. */
export const MAPPED_CODES: readonly string[] = [...TABLE.keys()];
