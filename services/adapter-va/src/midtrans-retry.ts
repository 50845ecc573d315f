import type { HttpResponseLike, HttpRetryJudgement, HttpRetryPolicyOptions } from "@paymesh/resilience";
import type { MidtransOperation, MidtransTransportError } from "./midtrans-client.ts";

/**
 * Backoff of the client's upstream retries (`@paymesh/resilience` createHttpRetryPolicy). What is
 * retried is not configurable: it is decided below, per operation.
 * @default 3 calls in total, 100 ms first backoff, 2000 ms cap (HTTP_RETRY_DEFAULTS)
 */
export type MidtransRetryOptions = Pick<
  HttpRetryPolicyOptions,
  "maxAttempts" | "initialDelayMs" | "maxDelayMs" | "onEvent"
>;

/**
 * - `read`: changes nothing at Midtrans, so it is repeated after a 429/5xx and after any lost answer.
 * - `keyed`: acts under Midtrans's order_id, so a repeat cannot act twice: repeated after a 429/5xx
 *   unless the answer shows Midtrans acted, but after a transport error only when the request
 *   provably never left. A lost answer after sending is left to the router's status resolver.
 */
type RepeatRule = "read" | "keyed";

/** The one table of what each Midtrans call may repeat, and why. */
const RULES: Readonly<Record<MidtransOperation, RepeatRule>> = {
  // order_id is the payment id: Midtrans refuses a repeat with 406 and creates nothing (PROVIDERS.md).
  charge: "keyed",
  status: "read",
  // A repeat after a cancel that did happen answers 412, which the cancel handler settles with the
  // status API; nothing is charged either way.
  cancel: "keyed",
  settlements: "read",
};

/** One round trip as the retry policy sees it: `status` is the one Midtrans means. */
export interface MidtransAttempt<A> extends HttpResponseLike {
  /** The round trip itself, handed back to the client unchanged. */
  answer: A;
  /** The body names a transaction, or says the order_id is taken: Midtrans acted on it. */
  acted: boolean;
}

/**
 * Reads the retry verdict's inputs from an answer. Midtrans's `status_code` in the body decides,
 * whatever the HTTP status (PROVIDERS.md: several errors ride on HTTP 200), so a `"503"` inside an
 * HTTP 200 is retried like a 503; a body that is not Midtrans JSON (a gateway page) falls back on
 * the HTTP status. Any `transaction_id` proves a transaction exists, and 406 that the order_id was
 * taken: either way a repeat would meet what Midtrans already did.
 */
export function midtransAttempt<A>(
  answer: A,
  httpStatus: number,
  headers: Headers,
  text: string,
): MidtransAttempt<A> {
  let statusCode: string | undefined;
  let acted = false;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const raw = "status_code" in value ? value.status_code : undefined;
      const code = typeof raw === "number" ? String(raw) : raw;
      statusCode = typeof code === "string" && /^\d{3}$/.test(code) ? code : undefined;
      const transactionId = "transaction_id" in value ? value.transaction_id : undefined;
      acted = (typeof transactionId === "string" && transactionId !== "") || statusCode === "406";
    }
  } catch {
    // Not JSON: the HTTP status is all there is to go on.
  }
  return { status: statusCode === undefined ? httpStatus : Number(statusCode), headers, answer, acted };
}

/** The judgement the retry policy applies to one call of `operation`. */
export function midtransJudgement(
  operation: MidtransOperation,
  isTransportError: (error: unknown) => error is MidtransTransportError,
): HttpRetryJudgement {
  const rule = RULES[operation];
  return {
    provedActed: (response) => rule === "keyed" && "acted" in response && response.acted === true,
    isSafeToRetryError: (error) => isTransportError(error) && (rule === "read" || !error.sent),
  };
}
