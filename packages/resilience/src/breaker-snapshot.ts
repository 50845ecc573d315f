import { CircuitState, type SamplingBreaker } from "cockatiel";

/** The breaker's state as the router and health endpoints name it. */
export type CircuitStateName = "closed" | "open" | "half-open" | "isolated";

/**
 * Names cockatiel's state. cockatiel stays Open after `halfOpenAfter` until a call arrives to become
 * the probe; reporting "open" then would make a router that skips open adapters (docs/architecture.md §4.4) never
 * send that probe, so the adapter would stay cut off forever. Once the open period is over the state
 * reads "half-open": the next call goes through.
 */
export function circuitStateName(
  state: CircuitState,
  openedAt: number,
  halfOpenAfterMs: number,
): CircuitStateName {
  switch (state) {
    case CircuitState.Closed:
      return "closed";
    case CircuitState.HalfOpen:
      return "half-open";
    case CircuitState.Isolated:
      return "isolated";
    default:
      return Date.now() - openedAt >= halfOpenAfterMs ? "half-open" : "open";
  }
}

/**
 * Failure ratio over the breaker's recent windows, or null when it saw no calls. cockatiel exposes the
 * counts only through the breaker's serializable `state` (meant for toJSON), so the shape is checked
 * rather than trusted: if a future version changes it, the snapshot says null instead of a wrong number.
 */
export function recentFailureRatio(breaker: SamplingBreaker, windowMs: number): number | null {
  const state = breaker.state;
  if (!isRecord(state) || !Array.isArray(state.windows)) return null;
  const now = Date.now();
  let failures = 0;
  let total = 0;
  for (const window of state.windows) {
    if (!isRecord(window)) return null;
    const { startedAt, failures: failed, successes } = window;
    if (typeof startedAt !== "number" || typeof failed !== "number" || typeof successes !== "number")
      return null;
    if (now - startedAt >= windowMs) continue;
    failures += failed;
    total += failed + successes;
  }
  return total === 0 ? null : failures / total;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
