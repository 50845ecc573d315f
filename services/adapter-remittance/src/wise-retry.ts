import type { HttpResponseLike, HttpRetryJudgement, HttpRetryPolicyOptions } from "@paymesh/resilience";
import type { WiseHttpAnswer, WiseOperation, WiseTransportError } from "./wise-http.ts";

/**
 * Backoff of the client's upstream retries (`@paymesh/resilience` createHttpRetryPolicy). What is
 * retried is not configurable: it is decided below, per operation.
 * @default 3 calls in total, 100 ms first backoff, 2000 ms cap (HTTP_RETRY_DEFAULTS)
 */
export type WiseRetryOptions = Pick<
  HttpRetryPolicyOptions,
  "maxAttempts" | "initialDelayMs" | "maxDelayMs" | "onEvent"
>;

/**
 * - `read`: changes nothing at Wise, so it is repeated after a 429/5xx and after any lost answer.
 * - `write`: changes something at Wise that a repeat meets rather than doubles (see each row):
 *   repeated after a 429/5xx unless the answer shows Wise acted, but after a transport error only
 *   when the request provably never left. A lost answer after sending is the router's to resolve
 *   (OUTCOME_UNKNOWN; CreatePayment resumes on a repeat), not repeated blind here.
 */
type RepeatRule = "read" | "write";

/** The one table of what each Wise call may repeat, and why. */
const RULES: Readonly<Record<WiseOperation, RepeatRule>> = {
  // A second quote moves no money; the lost one simply expires.
  createQuote: "write",
  getQuote: "read",
  // A second recipient account moves no money (the simulator de-duplicates; Wise may not).
  createRecipient: "write",
  // customerTransactionId is Wise's idempotency key: the same value answers the same transfer.
  createTransfer: "write",
  // Wise refuses to fund a transfer twice (transfer.already.funded), which the adapter reads as done.
  fundTransfer: "write",
  getTransfer: "read",
  listTransfers: "read",
  // Cancelling a cancelled transfer answers it again (*unconfirmed*; the simulator's choice).
  cancelTransfer: "write",
  listBalances: "read",
  balanceStatement: "read",
};

/** One round trip as the retry policy sees it. */
export interface WiseAttempt extends HttpResponseLike {
  answer: WiseHttpAnswer;
  /** The body is the resource itself (a transfer id) or a funding result: Wise acted on it. */
  acted: boolean;
}

/**
 * Reads the retry verdict's inputs from an answer. Wise's errors carry their own HTTP status. A
 * body with an `id` (any transfer, quote or recipient) or a funding `status` proves the request was
 * carried out, whatever status it came with: repeating would only meet it again.
 */
export function wiseAttempt(answer: WiseHttpAnswer): WiseAttempt {
  let acted = false;
  try {
    const value: unknown = JSON.parse(answer.text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const id = "id" in value ? value.id : undefined;
      const funding = "status" in value && typeof value.status === "string" && "type" in value;
      acted = typeof id === "number" || (typeof id === "string" && id !== "") || funding;
    }
  } catch {
    // Not JSON (a gateway page): nothing in it proves anything.
  }
  return { status: answer.status, headers: answer.headers, answer, acted };
}

/** The judgement the retry policy applies to one call of `operation`. */
export function wiseJudgement(
  operation: WiseOperation,
  isTransportError: (error: unknown) => error is WiseTransportError,
): HttpRetryJudgement {
  const rule = RULES[operation];
  return {
    provedActed: (response) => rule === "write" && "acted" in response && response.acted === true,
    isSafeToRetryError: (error) => isTransportError(error) && (rule === "read" || !error.sent),
  };
}
