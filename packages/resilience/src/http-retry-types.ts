/** What the retry decision reads from a response; a fetch Response fits. */
export interface HttpResponseLike {
  status: number;
  headers: Headers;
}

/** Judgements only the adapter can make about its provider; per call they override the policy's. */
export interface HttpRetryJudgement {
  /**
   * True when a 429/5xx response still proves the provider acted (e.g. a 500 whose body carries the
   * created transfer): repeating could act twice, so it is returned as is. @default () => false
   */
  provedActed?: (response: HttpResponseLike) => boolean;
  /**
   * True when a thrown error proves the request never left (DNS failure, connection refused). An error
   * after sending (reset, timeout) may have reached the provider and is never retried. @default () => false
   */
  isSafeToRetryError?: (error: unknown) => boolean;
}

/** Options of {@link createHttpRetryPolicy}. */
export interface HttpRetryPolicyOptions extends HttpRetryJudgement {
  /** Name carried by events, e.g. "qris-upstream". */
  name: string;
  /** Calls in total, the first included. @default 3 */
  maxAttempts?: number;
  /** Scale of the first backoff (decorrelated jitter). @default 100 */
  initialDelayMs?: number;
  /** Upper bound on any delay, a Retry-After one included. @default 2000 */
  maxDelayMs?: number;
  onEvent?: (event: HttpRetryEvent) => void;
}

/** A retry of an upstream HTTP call: after `status` (or a thrown `error`), waiting `delayMs`. */
export interface HttpRetryEvent {
  type: "retry";
  name: string;
  /** The attempt that failed, 1 for the first call. */
  attempt: number;
  delayMs: number;
  status: number | undefined;
  /** What the provider's Retry-After asked for, before the maxDelayMs cap; undefined without one. */
  retryAfterMs: number | undefined;
  error: unknown;
}

/** Retries an adapter's upstream HTTP calls where repeating is safe; see createHttpRetryPolicy. */
export interface HttpRetryPolicy {
  execute<R extends HttpResponseLike>(
    call: (signal: AbortSignal) => Promise<R>,
    options?: HttpRetryJudgement & { signal?: AbortSignal },
  ): Promise<R>;
}
