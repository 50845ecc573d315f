import type { StopReason } from "./policy-errors.ts";

/** Longest delay setTimeout honours; a later deadline needs no timer before it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The lifetime of one execute(): ends when the caller cancels or its deadline passes. */
export interface CallScope {
  /** Aborted when the caller's signal aborts or the deadline passes; every wait and attempt watches it. */
  readonly signal: AbortSignal;
  /** Why the scope ended, the first cause winning; undefined while it runs. */
  readonly stopReason: Exclude<StopReason, "timeout"> | undefined;
  /** Milliseconds left before the deadline; Infinity without one. */
  remainingMs(): number;
  /** Drops the deadline timer and the listener on the caller's signal. */
  dispose(): void;
}

/**
 * Joins the caller's signal and deadline into one scope, so "never beyond the caller's deadline"
 * holds for queueing, backoff and attempts alike. `deadline` is a Date or epoch milliseconds.
 */
export function createCallScope(
  callerSignal: AbortSignal | undefined,
  deadline: Date | number | undefined,
): CallScope {
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  if (deadlineMs !== undefined && Number.isNaN(deadlineMs))
    throw new RangeError("deadline is not a valid time");
  const controller = new AbortController();
  let stopReason: CallScope["stopReason"];
  const stop = (reason: Exclude<StopReason, "timeout">) => {
    if (stopReason !== undefined) return;
    stopReason = reason;
    // Same reasons the platform uses: the caller's own, or a TimeoutError as from AbortSignal.timeout().
    controller.abort(
      reason === "cancelled" ? callerSignal?.reason : new DOMException("deadline passed", "TimeoutError"),
    );
  };
  const onCallerAbort = () => stop("cancelled");
  if (callerSignal?.aborted === true) stop("cancelled");
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const remainingMs = () => (deadlineMs === undefined ? Number.POSITIVE_INFINITY : deadlineMs - Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const left = remainingMs();
  if (left <= 0) stop("deadline");
  else if (left <= MAX_TIMER_MS) timer = setTimeout(() => stop("deadline"), left);
  return {
    signal: controller.signal,
    get stopReason() {
      return stopReason;
    },
    remainingMs,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

/**
 * Settles like `work`, except that when `signal` aborts while `isWaiting()` (queued in the bulkhead,
 * waiting on a half-open probe, sleeping between retries) it settles at once with `onAbort()`:
 * cockatiel's queue and backoff sleeps do not watch the signal. While a call runs, the abort reaches it
 * through its own signal and the policy waits for its answer (cooperative), since a late answer is
 * still the truth about a payment.
 */
export function settleEarlyWhileWaiting<T>(
  work: Promise<T>,
  signal: AbortSignal,
  isWaiting: () => boolean,
  onAbort: () => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = () => {
      if (isWaiting()) onAbort().then(resolve, reject);
    };
    if (signal.aborted) listener();
    else signal.addEventListener("abort", listener, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", listener));
  });
}
