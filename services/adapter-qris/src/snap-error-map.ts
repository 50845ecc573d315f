import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** How the adapter treats one SNAP case. */
export type SnapOutcome =
  /** The request was refused; nothing was created upstream. */
  | { kind: "refused"; reason: ErrorReason; code: GrpcCode }
  /** The provider declined the payment itself: a FAILED payment, not an error. */
  | { kind: "declined"; reason: ErrorReason }
  /** The provider already has this transaction: look it up instead of failing. */
  | { kind: "duplicate" }
  /** The provider may or may not have acted: ask it before answering. */
  | { kind: "uncertain"; reason: ErrorReason };

/**
 * The one table from SNAP response codes to Paymesh outcomes, keyed by HTTP status + case code
 * (PROVIDERS.md, "Bank Indonesia SNAP"); the service code in the middle is the operation's.
 */
const TABLE: ReadonlyArray<[httpStatus: string, caseCode: string | "*", outcome: SnapOutcome]> = [
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
  ["404", "*", { kind: "refused", reason: ErrorReason.PAYMENT_NOT_FOUND, code: GrpcCode.NOT_FOUND }],
  // 409xx00 same X-EXTERNAL-ID today, 409xx01 duplicate partnerReferenceNo: both mean "already made".
  ["409", "*", { kind: "duplicate" }],
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
export function snapOutcome(responseCode: string): SnapOutcome {
  const httpStatus = responseCode.slice(0, 3);
  const caseCode = responseCode.slice(5, 7);
  const row =
    TABLE.find(([status, code]) => status === httpStatus && code === caseCode) ??
    TABLE.find(([status, code]) => status === httpStatus && code === "*");
  return row?.[2] ?? { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR };
}

/** The PaymeshError for a refused request, carrying SNAP's code verbatim. */
export function snapRefusal(
  outcome: Extract<SnapOutcome, { kind: "refused" }>,
  responseCode: string,
  responseMessage: string,
  field?: string,
): PaymeshError {
  return new PaymeshError(
    outcome.reason,
    `provider refused the request: ${responseMessage} (${responseCode})`,
    {
      code: outcome.code,
      providerCode: responseCode,
      ...(field === undefined ? {} : { field }),
    },
  );
}
