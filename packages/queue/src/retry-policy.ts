/** Header carrying why a message was dead-lettered: the last handler error's message. */
export const DLQ_REASON_HEADER = "x-paymesh-dlq-reason";
/** Internal header carrying the failed attempts so far; not shown to handlers. */
export const ATTEMPTS_HEADER = "x-paymesh-attempts";

/** Retry options shared by every WorkQueue implementation. */
export interface RetryOptions {
  /**
   * Delay before each retry; the last one repeats if maxAttempts needs more retries than listed.
   * @default [1_000, 5_000, 30_000]
   */
  retryDelaysMs?: readonly number[];
  /**
   * Handler runs before a message is dead-lettered, the first one included.
   * @default 4
   */
  maxAttempts?: number;
}

/** Retry options with defaults applied and checked. */
export interface RetryPolicy {
  retryDelaysMs: readonly number[];
  maxAttempts: number;
}

/** Resolves defaults in one place and rejects settings a broker would refuse (as caller bugs). */
export function resolveRetryPolicy(options: RetryOptions): RetryPolicy {
  const retryDelaysMs = options.retryDelaysMs ?? [1_000, 5_000, 30_000];
  const maxAttempts = options.maxAttempts ?? 4;
  if (retryDelaysMs.length === 0 || retryDelaysMs.some((ms) => !Number.isInteger(ms) || ms < 0)) {
    throw new RangeError("retryDelaysMs must be a non-empty list of non-negative integers");
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError("maxAttempts must be a positive integer");
  }
  return { retryDelaysMs, maxAttempts };
}

/** The delay before retrying after failed attempt `attempt` (1-based). */
export function retryDelayIndex(policy: RetryPolicy, attempt: number): number {
  return Math.min(attempt - 1, policy.retryDelaysMs.length - 1);
}

/** A handler's throw as a header value: its message, never the stack (headers travel to operators). */
export function failureReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text === "" ? "handler failed" : text.slice(0, 1_000);
}
