import type { StopReason } from "./policy-errors.ts";

/** Which retry rule a call runs under; see AdapterPolicy.execute. */
export type CallKind = "read" | "create" | "once";

/**
 * What an adapter policy reports, for metrics, logs and alerts (docs/architecture.md §7: breaker state per
 * provider). Events instead of a logger dependency, so the router decides where they go.
 */
export type PolicyEvent =
  /** An attempt failed with a retryable error; the next one starts after `delayMs`. */
  | { type: "retry"; adapter: string; kind: CallKind; attempt: number; delayMs: number; error: unknown }
  /** An attempt was cut off by `timeoutMs` ("timeout") or by the caller's deadline ("deadline"). */
  | {
      type: "timeout";
      adapter: string;
      kind: CallKind;
      attempt: number;
      timeoutMs: number;
      reason: Exclude<StopReason, "cancelled">;
    }
  /** The circuit opened (after `error`), or an operator isolated it. */
  | { type: "break"; adapter: string; isolated: boolean; error: unknown }
  /** The open period passed and a probe call is going through. */
  | { type: "half-open"; adapter: string }
  /** The circuit closed again: a probe succeeded or the isolation was lifted. */
  | { type: "reset"; adapter: string }
  /** The bulkhead and its queue were full; the call was refused without reaching the adapter. */
  | { type: "bulkhead-rejected"; adapter: string; kind: CallKind };

/**
 * Wraps a listener so that a throwing one cannot change the outcome of a payment call: cockatiel
 * emits from inside its execute paths, where a listener's exception would replace the call's result.
 */
export function safeListener<E>(listener: ((event: E) => void) | undefined): (event: E) => void {
  if (listener === undefined) return () => {};
  return (event) => {
    try {
      listener(event);
    } catch {
      // Telemetry is best effort; the payment outcome is not.
    }
  };
}
