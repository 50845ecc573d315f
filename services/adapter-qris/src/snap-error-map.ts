import { GrpcCode, type ProviderOutcome } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/**
 * The one table from SNAP response codes to Paymesh outcomes, keyed by HTTP status + case code;
 * the service code in the middle is the operation's (47 generate, 51 query, 77 cancel, 73 token).
 */
const TABLE: ReadonlyArray<[httpStatus: string, caseCode: string | "*", outcome: ProviderOutcome]> = [
  ["400", "01", { kind: "refused", reason: ErrorReason.INVALID_FIELD, code: GrpcCode.INVALID_ARGUMENT }],
  ["400", "02", { kind: "refused", reason: ErrorReason.MISSING_FIELD, code: GrpcCode.INVALID_ARGUMENT }],
  ["400", "*", { kind: "refused", reason: ErrorReason.INVALID_FIELD, code: GrpcCode.INVALID_ARGUMENT }],
  // Our credentials or signature were refused: a configuration fault, nothing was created.
  [
    "401",
    "*",
    { kind: "refused", reason: ErrorReason.PROVIDER_AUTH_FAILED, code: GrpcCode.FAILED_PRECONDITION },
  ],
  ["403", "14", { kind: "declined", reason: ErrorReason.INSUFFICIENT_FUNDS }],
  ["403", "*", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
  ["404", "*", { kind: "not-found" }],
  // 409xx00 same X-EXTERNAL-ID today, 409xx01 duplicate partnerReferenceNo: both mean "already made".
  ["409", "*", { kind: "duplicate" }],
  // Not `retryLater`, which would mark it as never having reached the bank: a rate limit has always
  // been answered as reaching it.
  [
    "429",
    "*",
    { kind: "refused", reason: ErrorReason.PROVIDER_RATE_LIMITED, code: GrpcCode.RESOURCE_EXHAUSTED },
  ],
  ["500", "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
  ["502", "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  ["503", "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  ["504", "*", { kind: "uncertain", reason: ErrorReason.PROVIDER_TIMEOUT }],
];

/** The outcome for a 7-character SNAP response code; unknown codes are treated as uncertain. */
export function snapOutcome(responseCode: string): ProviderOutcome {
  const httpStatus = responseCode.slice(0, 3);
  const caseCode = responseCode.slice(5, 7);
  const row =
    TABLE.find(([status, code]) => status === httpStatus && code === caseCode) ??
    TABLE.find(([status, code]) => status === httpStatus && code === "*");
  return row?.[2] ?? { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR };
}
