import { TaskCancelledError } from "cockatiel";

/** Why the policy stopped waiting for a call: its own per-attempt bound, the caller's deadline, or the caller. */
export type StopReason = "timeout" | "deadline" | "cancelled";

/**
 * Thrown when the policy stopped waiting: an attempt ran past `timeoutMs`, the caller's deadline passed,
 * or the caller cancelled. It extends cockatiel's TaskCancelledError (cockatiel uses that one type for
 * both timeouts and cancellation) and adds what the router needs to classify the outcome: whether the
 * call had started, so "never sent" can be told apart from "sent, answer unknown".
 */
export class PolicyTimeoutError extends TaskCancelledError {
  /** Marker checked by {@link isPolicyTimeoutError}; survives two copies of this package in one process. */
  readonly isPolicyTimeoutError = true;
  override readonly name = "PolicyTimeoutError";
  readonly reason: StopReason;
  /** False when the policy gave up before handing anything to the call: it provably never reached it. */
  readonly callStarted: boolean;

  constructor(message: string, options: { reason: StopReason; callStarted: boolean; cause?: unknown }) {
    super(message);
    this.reason = options.reason;
    this.callStarted = options.callStarted;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** True when `error` carries the boolean marker property `marker` set to true. */
function hasMarker(error: unknown, marker: string): boolean {
  return typeof error === "object" && error !== null && (error as Record<string, unknown>)[marker] === true;
}

/**
 * True when the breaker refused the call: open, or isolated by an operator. Such a call never reached
 * the adapter, so the router may fail over to the next one. Checks cockatiel's marker directly: its own
 * guards also demand `instanceof Error` from the same realm.
 */
export function isCircuitOpenError(error: unknown): boolean {
  // IsolatedCircuitError extends BrokenCircuitError, so it carries this marker too.
  return hasMarker(error, "isBrokenCircuitError");
}

/** True when the bulkhead was full (limit and queue): the call never reached the adapter. */
export function isBulkheadRejectedError(error: unknown): boolean {
  return hasMarker(error, "isBulkheadRejectedError");
}

/**
 * True when the policy stopped waiting (timeout, deadline, cancellation), including a bare cockatiel
 * TaskCancelledError. Not built on cockatiel's `isTaskCancelledError`: in 3.2.1 that guard tests the
 * bulkhead marker (returns false for a TaskCancelledError and true for a BulkheadRejectedError).
 */
export function isPolicyTimeoutError(error: unknown): error is TaskCancelledError {
  return hasMarker(error, "isTaskCancelledError");
}

/**
 * True when the error proves the call never reached the adapter: breaker open or isolated, bulkhead
 * full, or given up before the first attempt started. Failover to another adapter is safe only then;
 * anything else may have reached the provider (docs/architecture.md §4: never guess an outcome).
 */
export function neverReachedAdapter(error: unknown): boolean {
  if (isCircuitOpenError(error) || isBulkheadRejectedError(error)) return true;
  return hasMarker(error, "isPolicyTimeoutError") && (error as Record<string, unknown>).callStarted === false;
}

/** The reason of a PolicyTimeoutError from any copy of this package; undefined for anything else. */
export function stopReasonOf(error: unknown): StopReason | undefined {
  if (!hasMarker(error, "isPolicyTimeoutError")) return undefined;
  const reason = (error as Record<string, unknown>).reason;
  return reason === "timeout" || reason === "deadline" || reason === "cancelled" ? reason : undefined;
}
