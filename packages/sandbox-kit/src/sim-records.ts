import { type CallbackAttempt, isSuccessStatus } from "./callback-delivery.ts";

/** The counters behind `GET /sim/stats` that every simulator keeps. */
export interface SimCounts {
  /** Charges really made: what the provider would have issued, billed or executed. */
  charges: number;
  /** Requests by endpoint name, rejected and reset ones included. */
  requests: Record<string, number>;
  /** Callback attempts made. */
  made: number;
  /** Callback attempts the receiver took with a 2xx. */
  delivered: number;
}

/**
 * What every simulator records the same way for `GET /sim/stats` and its deliveries list: charges,
 * requests per endpoint and each callback attempt. `D` is an attempt with the provider's own fields.
 */
export interface SimRecords<D extends CallbackAttempt> {
  /** Counts one charge the provider would really have made (a repeated or rejected one is none). */
  countCharge(): void;
  /** Counts one request of `endpoint`. */
  countRequest(endpoint: string): void;
  recordAttempt(attempt: D): void;
  /** The counters so far (copies). */
  counts(): SimCounts;
  /** Every callback attempt so far, oldest first (a copy). */
  attempts(): D[];
  /** Forgets everything (`POST /sim/reset`). */
  clear(): void;
  /** Everything recorded, as data for a simulator's state file. */
  snapshot(): SavedSimRecords<D>;
  /** Takes back a {@link snapshot} (a restarted simulator keeps counting from there). */
  restore(saved: SavedSimRecords<D>): void;
}

/** What {@link SimRecords.snapshot} keeps. */
export interface SavedSimRecords<D extends CallbackAttempt> {
  charges: number;
  requests: Record<string, number>;
  attempts: D[];
}

/** Creates empty records. */
export function createSimRecords<D extends CallbackAttempt>(): SimRecords<D> {
  let charges = 0;
  let requests: Record<string, number> = {};
  const attempts: D[] = [];
  return {
    countCharge() {
      charges += 1;
    },
    countRequest(endpoint) {
      requests[endpoint] = (requests[endpoint] ?? 0) + 1;
    },
    recordAttempt: (attempt) => void attempts.push(attempt),
    counts: () => ({
      charges,
      requests: { ...requests },
      made: attempts.length,
      delivered: attempts.filter((attempt) => isSuccessStatus(attempt.status)).length,
    }),
    attempts: () => [...attempts],
    clear() {
      charges = 0;
      requests = {};
      attempts.length = 0;
    },
    snapshot: () => ({ charges, requests: { ...requests }, attempts: [...attempts] }),
    restore(saved) {
      charges = saved.charges;
      requests = { ...saved.requests };
      attempts.splice(0, attempts.length, ...saved.attempts);
    },
  };
}
