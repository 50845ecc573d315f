import { type CallbackAttempt, isSuccessStatus } from "./callback-delivery.ts";

/**
 * What every simulator counts the same way for `GET /sim/stats` and its deliveries list: requests
 * per endpoint and each callback attempt. `D` is an attempt with the provider's own fields.
 */
export interface SimRecords<D extends CallbackAttempt> {
  /** Counts one request of `endpoint`, rejected and reset ones included. */
  countRequest(endpoint: string): void;
  /** Requests so far by endpoint name (a copy). */
  requests(): Record<string, number>;
  recordAttempt(attempt: D): void;
  /** Every callback attempt so far, oldest first (a copy). */
  attempts(): D[];
  /** How many callback attempts were made, and how many the receiver took with a 2xx. */
  attemptCounts(): { made: number; delivered: number };
  /** Forgets everything (`POST /sim/reset`). */
  clear(): void;
}

/** Creates empty records. */
export function createSimRecords<D extends CallbackAttempt>(): SimRecords<D> {
  let requests: Record<string, number> = {};
  const attempts: D[] = [];
  return {
    countRequest(endpoint) {
      requests[endpoint] = (requests[endpoint] ?? 0) + 1;
    },
    requests: () => ({ ...requests }),
    recordAttempt: (attempt) => void attempts.push(attempt),
    attempts: () => [...attempts],
    attemptCounts: () => ({
      made: attempts.length,
      delivered: attempts.filter((attempt) => isSuccessStatus(attempt.status)).length,
    }),
    clear() {
      requests = {};
      attempts.length = 0;
    },
  };
}
