import type { HttpResponseLike, HttpRetryJudgement, HttpRetryPolicyOptions } from "@paymesh/resilience";
import type { RawAnswer, XenditOperation, XenditTransportError } from "./xendit-http.ts";

/**
 * Backoff of the client's upstream retries (`@paymesh/resilience` createHttpRetryPolicy). What is
 * retried is not configurable: it is decided below, per operation.
 * @default 3 calls in total, 100 ms first backoff, 2000 ms cap (HTTP_RETRY_DEFAULTS)
 */
export type XenditRetryOptions = Pick<
  HttpRetryPolicyOptions,
  "maxAttempts" | "initialDelayMs" | "maxDelayMs" | "onEvent"
>;

/**
 * - `read`: changes nothing at Xendit, so it is repeated after a 429/5xx and after any lost answer.
 * - `keyed`: acts under X-IDEMPOTENCY-KEY, so a repeat cannot pay twice: repeated after a 429/5xx
 *   unless the answer shows Xendit acted, but after a transport error only when the request
 *   provably never left. A lost answer after sending is not repeated here: the provider looks the
 *   payout up by external_id, and otherwise leaves the outcome to the router's status resolver
 *   (a repeat could race the first request while Xendit still processes it, and how Xendit
 *   answers a key that is in flight is not documented).
 */
type RepeatRule = "read" | "keyed";

/** The one table of what each Xendit call may repeat, and why. */
const RULES: Readonly<Record<XenditOperation, RepeatRule>> = {
  // SERVER_ERROR is "safe to retry with the same key" (PROVIDERS.md); a 429 created nothing.
  createDisbursement: "keyed",
  getDisbursement: "read",
  findDisbursements: "read",
  listTransactions: "read",
};

/** One round trip as the retry policy sees it. */
export interface XenditAttempt extends HttpResponseLike {
  answer: RawAnswer;
  /** The body is a disbursement, or says the key was used before: Xendit acted on it. */
  acted: boolean;
}

/**
 * Reads the retry verdict's inputs from an answer. Xendit's errors carry their own HTTP status, so
 * the status is the HTTP one. A body with a disbursement `id`, or `DUPLICATE_TRANSACTION_ERROR`,
 * proves a payout exists under this key: repeating would only meet it again.
 */
export function xenditAttempt(answer: RawAnswer): XenditAttempt {
  let acted = false;
  try {
    const value: unknown = JSON.parse(answer.text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const id = "id" in value ? value.id : undefined;
      const code = "error_code" in value ? value.error_code : undefined;
      acted = (typeof id === "string" && id !== "") || code === "DUPLICATE_TRANSACTION_ERROR";
    }
  } catch {
    // Not JSON (a gateway page): nothing in it proves anything.
  }
  return { status: answer.status, headers: answer.headers, answer, acted };
}

/** The judgement the retry policy applies to one call of `operation`. */
export function xenditJudgement(
  operation: XenditOperation,
  isTransportError: (error: unknown) => error is XenditTransportError,
): HttpRetryJudgement {
  const rule = RULES[operation];
  return {
    provedActed: (response) => rule === "keyed" && "acted" in response && response.acted === true,
    isSafeToRetryError: (error) => isTransportError(error) && (rule === "read" || !error.sent),
  };
}
