import { GrpcCode, type ProviderOutcome, reportUnknownProviderValue } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

const refused = (reason: ErrorReason, code: GrpcCode, field?: string): ProviderOutcome => ({
  kind: "refused",
  reason,
  code,
  ...(field === undefined ? {} : { field }),
});
const declined = (reason: ErrorReason): ProviderOutcome => ({ kind: "declined", reason });
const uncertain = (reason: ErrorReason): ProviderOutcome => ({ kind: "uncertain", reason });

const badField = refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT);
const authFailed = refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION);
const notForThisAccount = refused(ErrorReason.METHOD_NOT_SUPPORTED, GrpcCode.FAILED_PRECONDITION);
const misrouted = refused(ErrorReason.PROVIDER_ERROR, GrpcCode.FAILED_PRECONDITION);
const notCancelable = refused(ErrorReason.PAYMENT_NOT_CANCELABLE, GrpcCode.FAILED_PRECONDITION);
const decline = declined(ErrorReason.PROVIDER_DECLINED);
const overLimit = declined(ErrorReason.LIMIT_EXCEEDED);

/**
 * The one table from SNAP response codes to Paymesh outcomes: every case the SNAP standard
 * publishes (packages/snap response-cases.ts: the SNAP Developer Site's "Daftar Response Code"),
 * keyed by HTTP status + case code; the service code in the middle is the operation's (47
 * generate, 51 query, 77 cancel, 73 token). Many cases belong to other SNAP services (cards, OTP,
 * tokens, bills) and never come from QR MPM; they are mapped anyway, by what they say, so a bank
 * that uses one is understood rather than guessed at. Nothing here is a default: a code outside
 * the table is reported as unknown (snapOutcome).
 */
const TABLE: ReadonlyMap<string, ProviderOutcome> = new Map([
  ["400-00", badField], // Bad Request
  ["400-01", badField], // Invalid Field Format {field}
  ["400-02", refused(ErrorReason.MISSING_FIELD, GrpcCode.INVALID_ARGUMENT)], // Invalid Mandatory Field
  // Our credentials, signature or token: a configuration fault; nothing was created. 401xx01 has
  // already refreshed the token once (snap-client.ts). 02 and 04 are customer (B2B2C) tokens.
  ["401-00", authFailed], // Unauthorized
  ["401-01", authFailed], // Invalid Token (B2B)
  ["401-02", authFailed], // Invalid Customer Token
  ["401-03", authFailed], // Token Not Found (B2B)
  ["401-04", authFailed], // Customer Token Not Found
  ["403-00", declined(ErrorReason.PAYMENT_EXPIRED)], // Transaction Expired
  ["403-01", notForThisAccount], // Feature Not Allowed: this merchant may not call the API
  // The amount is over what the bank takes: another route may take it.
  ["403-02", refused(ErrorReason.AMOUNT_OUT_OF_RANGE, GrpcCode.INVALID_ARGUMENT, "amount.minor_units")],
  ["403-03", decline], // Suspected Fraud
  ["403-04", overLimit], // Activity Count Limit Exceeded (transaction frequency)
  ["403-05", decline], // Do Not Honor
  // Cut-off in progress: refused before processing, to be sent again later.
  [
    "403-06",
    {
      kind: "refused",
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
      code: GrpcCode.UNAVAILABLE,
      retryLater: true,
    },
  ], // Feature Not Allowed At This Time
  ["403-07", decline], // Card Blocked
  ["403-08", decline], // Card Expired
  ["403-09", decline], // Dormant Account
  ["403-10", decline], // Need To Set Token Limit
  ["403-11", decline], // OTP Blocked
  ["403-12", decline], // OTP Lifetime Expired
  // An OTP went to the cardholder: a step of a flow still running, not an end. QR MPM has none, so
  // what the bank did is unknown; generate asks the bank's record.
  ["403-13", uncertain(ErrorReason.PROVIDER_ERROR)], // OTP Sent To Cardholder
  ["403-14", declined(ErrorReason.INSUFFICIENT_FUNDS)], // Insufficient Funds
  ["403-15", decline], // Transaction Not Permitted
  ["403-16", decline], // Suspend Transaction
  ["403-17", overLimit], // Token Limit Exceeded
  ["403-18", decline], // Inactive Card/Account/Customer
  ["403-19", authFailed], // Merchant Blacklisted: our merchant account may call nothing
  ["403-20", overLimit], // Merchant Limit Exceed (the day's aggregate)
  ["403-21", decline], // Set Limit Not Allowed
  ["403-22", decline], // Token Limit Invalid
  ["403-23", overLimit], // Account Limit Exceed
  ["404-00", notCancelable], // Invalid Transaction Status: the transaction is not in a state for this
  ["404-01", { kind: "not-found" }], // Transaction Not Found
  ["404-02", misrouted], // Invalid Routing
  ["404-03", refused(ErrorReason.BANK_NOT_SUPPORTED, GrpcCode.FAILED_PRECONDITION)], // Bank Not Supported By Switch
  // Cancelled by the customer. On cancel the provider reads the QR back instead (provider.ts).
  ["404-04", decline], // Transaction Cancelled
  ["404-05", notForThisAccount], // Merchant Is Not Registered For Card Registration Services
  ["404-06", misrouted], // Need To Request OTP
  ["404-07", misrouted], // Journey Not Found
  ["404-08", authFailed], // Invalid Merchant: our merchantId does not exist or is abnormal
  ["404-09", decline], // No Issuer
  ["404-10", misrouted], // Invalid API Transition
  ["404-11", decline], // Invalid Card/Account/Customer/Virtual Account
  ["404-12", { kind: "not-found" }], // Invalid Bill/Virtual Account [reason]: blocked, suspended or not found
  ["404-13", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT, "amount.minor_units")], // Invalid Amount
  // The bill is paid: the bank has the transaction, so its record decides.
  ["404-14", { kind: "duplicate" }], // Paid Bill
  ["404-15", decline], // Invalid OTP
  ["404-16", authFailed], // Partner Not Found: our X-PARTNER-ID
  ["404-17", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT, "qris.terminal_label")], // Invalid Terminal
  // The partnerReferenceNo (our payment id) names a transaction with other parameters.
  ["404-18", refused(ErrorReason.IDEMPOTENCY_KEY_REUSED, GrpcCode.ALREADY_EXISTS)], // Inconsistent Request
  ["404-19", declined(ErrorReason.PAYMENT_EXPIRED)], // Invalid Bill/Virtual Account: expired
  ["405-00", notForThisAccount], // Requested Function Is Not Supported
  ["405-01", notCancelable], // Requested Operation Is Not Allowed (cancel/refund, at this time)
  // 409xx00 the same X-EXTERNAL-ID today, 409xx01 duplicate partnerReferenceNo: both "already made".
  ["409-00", { kind: "duplicate" }], // Conflict
  ["409-01", { kind: "duplicate" }], // Duplicate partnerReferenceNo
  // Not `retryLater`, which would mark it as never having reached the bank: a rate limit has always
  // been answered as reaching it.
  ["429-00", refused(ErrorReason.PROVIDER_RATE_LIMITED, GrpcCode.RESOURCE_EXHAUSTED)], // Too Many Requests
  ["500-00", uncertain(ErrorReason.PROVIDER_ERROR)], // General Error
  ["500-01", uncertain(ErrorReason.PROVIDER_ERROR)], // Internal Server Error
  ["500-02", uncertain(ErrorReason.PROVIDER_UNAVAILABLE)], // External Server Error: the bank's backend
  // Not in the published list: gateway statuses some banks put in SNAP form (`5034700`).
  ["502-00", uncertain(ErrorReason.PROVIDER_UNAVAILABLE)],
  ["503-00", uncertain(ErrorReason.PROVIDER_UNAVAILABLE)],
  ["504-00", uncertain(ErrorReason.PROVIDER_TIMEOUT)], // Timeout
]);

/** Every (HTTP status, case code) the table maps, for the vocabulary test and the README. */
export const MAPPED_SNAP_CASES: readonly string[] = [...TABLE.keys()];

/**
 * The outcome for a 7-character SNAP error response code. A code the table does not know is
 * reported (one warning line and a count, adapter-kit provider-vocabulary.ts) and is uncertain:
 * the bank may or may not have acted, so a generate asks its record and a read fails as it stands.
 */
export function snapOutcome(responseCode: string, paymentId?: string): ProviderOutcome {
  const outcome = TABLE.get(`${responseCode.slice(0, 3)}-${responseCode.slice(5, 7)}`);
  if (outcome !== undefined) return outcome;
  reportUnknownProviderValue({
    adapter: "adapter-qris",
    field: "responseCode",
    value: responseCode,
    paymentId,
  });
  return uncertain(ErrorReason.PROVIDER_ERROR);
}
