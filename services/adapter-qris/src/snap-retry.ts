import type { HttpResponseLike, HttpRetryJudgement, HttpRetryPolicyOptions } from "@paymesh/resilience";
import type { SnapOperation, SnapTransportError } from "./snap-client.ts";

/**
 * Backoff of the client's upstream retries (`@paymesh/resilience` createHttpRetryPolicy). What is
 * retried is not configurable: it is decided below, per operation.
 * @default 3 calls in total, 100 ms first backoff, 2000 ms cap (HTTP_RETRY_DEFAULTS)
 */
export type SnapRetryOptions = Pick<
  HttpRetryPolicyOptions,
  "maxAttempts" | "initialDelayMs" | "maxDelayMs" | "onEvent"
>;

/**
 * - `read`: changes nothing at the bank that matters, so it is repeated after a 429/5xx and after
 *   any lost answer.
 * - `keyed`: acts under partnerReferenceNo, so a repeat cannot make a second QR: repeated after a
 *   429/5xx unless the answer shows the bank acted, but after a transport error only when the
 *   request provably never left. A lost answer after sending is the router's to resolve.
 *
 * Every attempt is signed afresh with a new X-TIMESTAMP and a new X-EXTERNAL-ID: the same
 * X-EXTERNAL-ID twice in a day is refused as 409xx00 (PROVIDERS.md), so a repeat must not reuse it.
 */
type RepeatRule = "read" | "keyed";

/** The one table of what each SNAP call may repeat, and why. */
const RULES: Readonly<Record<SnapOperation, RepeatRule>> = {
  // A second token only replaces the first; no transaction rides on it.
  accessToken: "read",
  // partnerReferenceNo is the payment id: the bank refuses a second one with 409xx01, creating nothing.
  generateQr: "keyed",
  queryQr: "read",
  // Cancelling a cancelled QR answers 2007700 again; nothing is charged either way.
  cancelQr: "keyed",
  listSettlements: "read",
};

/** One round trip as the retry policy sees it: `status` is the one the bank means. */
export interface SnapAttempt<A> extends HttpResponseLike {
  answer: A;
  /** The body carries the bank's referenceNo, or says partnerReferenceNo is taken: the bank acted. */
  acted: boolean;
}

/**
 * Reads the retry verdict's inputs from an answer. The 7-character responseCode starts with the
 * HTTP status the bank means, and some banks answer HTTP 200 with an error code (PROVIDERS.md), so
 * the code decides when there is one; a body that is not SNAP JSON (a gateway page) falls back on
 * the HTTP status. A `referenceNo` is the bank's id of a created QR, and 409xx01 says the
 * partnerReferenceNo was used: either way a repeat would only meet what the bank already did.
 */
export function snapAttempt<A>(
  answer: A,
  httpStatus: number,
  headers: Headers,
  text: string,
): SnapAttempt<A> {
  let code: string | undefined;
  let acted = false;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const responseCode = "responseCode" in value ? value.responseCode : undefined;
      code = typeof responseCode === "string" && /^\d{7}$/.test(responseCode) ? responseCode : undefined;
      const referenceNo = "referenceNo" in value ? value.referenceNo : undefined;
      acted =
        (typeof referenceNo === "string" && referenceNo !== "") ||
        (code !== undefined && /^409\d{2}01$/.test(code));
    }
  } catch {
    // Not JSON: the HTTP status is all there is to go on.
  }
  return { status: code === undefined ? httpStatus : Number(code.slice(0, 3)), headers, answer, acted };
}

/** The judgement the retry policy applies to one call of `operation`. */
export function snapJudgement(
  operation: SnapOperation,
  isTransportError: (error: unknown) => error is SnapTransportError,
): HttpRetryJudgement {
  const rule = RULES[operation];
  return {
    provedActed: (response) => rule === "keyed" && "acted" in response && response.acted === true,
    isSafeToRetryError: (error) => isTransportError(error) && (rule === "read" || !error.sent),
  };
}
