import {
  bulkhead,
  CircuitState,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  SamplingBreaker,
} from "cockatiel";
import { createAdapterCall } from "./adapter-call.ts";
import { resolveAdapterPolicyConfig } from "./adapter-policy-config.ts";
import type {
  AdapterCallOptions,
  AdapterPolicy,
  AdapterPolicyOptions,
  AdapterPolicySnapshot,
} from "./adapter-policy-types.ts";
import { circuitStateName, recentFailureRatio } from "./breaker-snapshot.ts";
import { createCallScope, settleEarlyWhileWaiting } from "./call-scope.ts";
import { isBulkheadRejectedError, stopReasonOf } from "./policy-errors.ts";
import { type CallKind, type PolicyEvent, safeListener } from "./policy-events.ts";

/**
 * Builds the policy the router wraps around every call to one adapter (docs/architecture.md §4.5: deadline, retry
 * only where safe, circuit breaker, bulkhead). The breaker and bulkhead live here and are shared by
 * every call; settings are checked at construction, so a bad config fails at startup.
 */
export function createAdapterPolicy(options: AdapterPolicyOptions): AdapterPolicy {
  const config = resolveAdapterPolicyConfig(options, options.name);
  const adapter = options.name;
  const deliver = safeListener(options.onEvent);
  const emit = (event: PolicyEvent) => {
    if (!disposed) deliver(event);
  };
  const { threshold, durationMs, minimumRps, halfOpenAfterMs } = config.breaker;
  const sampler = new SamplingBreaker({ threshold, duration: durationMs, minimumRps });
  const breaker = circuitBreaker(handleWhen(countsAgainstBreaker), {
    halfOpenAfter: halfOpenAfterMs,
    breaker: sampler,
  });
  const gate = bulkhead(config.bulkhead.limit, config.bulkhead.queue);
  const backoff = new ExponentialBackoff({
    initialDelay: config.retry.initialDelayMs,
    maxDelay: config.retry.maxDelayMs,
  });
  const shared = { adapter, config, breaker, backoff, emit };
  // When the circuit last opened; cockatiel keeps its own copy private (see circuitStateName).
  let openedAt = 0;
  let disposed = false;

  function countsAgainstBreaker(error: unknown): boolean {
    // A cancelled probe says nothing about the adapter; counting it reopens rather than closing blind
    // (cockatiel closes the circuit on any probe error it does not count).
    if (stopReasonOf(error) === "cancelled") return breaker.state === CircuitState.HalfOpen;
    return options.countsAsFailure(error);
  }

  const listeners = [
    breaker.onBreak((reason) => {
      openedAt = Date.now();
      emit({
        type: "break",
        adapter,
        isolated: "isolated" in reason,
        error: "error" in reason ? reason.error : undefined,
      });
    }),
    breaker.onHalfOpen(() => emit({ type: "half-open", adapter })),
    breaker.onReset(() => emit({ type: "reset", adapter })),
  ];

  async function execute<T>(
    kind: CallKind,
    call: (signal: AbortSignal) => Promise<T>,
    callOptions: AdapterCallOptions,
  ) {
    if (disposed) throw new Error(`adapter policy ${adapter} is disposed`);
    const scope = createCallScope(callOptions.signal, callOptions.deadline);
    try {
      const run = createAdapterCall(shared, kind, call, scope, callOptions.retryable);
      if (scope.signal.aborted) throw run.currentFailure();
      const work = gate.execute(() => run.run(), scope.signal);
      return await settleEarlyWhileWaiting(
        work,
        scope.signal,
        () => !run.calling,
        async () => {
          throw run.currentFailure();
        },
      );
    } catch (error) {
      if (isBulkheadRejectedError(error)) emit({ type: "bulkhead-rejected", adapter, kind });
      throw error;
    } finally {
      scope.dispose();
    }
  }

  const state = () => circuitStateName(breaker.state, openedAt, halfOpenAfterMs);
  const snapshot = (): AdapterPolicySnapshot => ({
    name: adapter,
    state: state(),
    failureRatio: recentFailureRatio(sampler, durationMs),
    executionSlots: gate.executionSlots,
    queueSlots: gate.queueSlots,
    inFlight: config.bulkhead.limit - gate.executionSlots,
    queued: config.bulkhead.queue - gate.queueSlots,
  });

  return {
    execute,
    config,
    state,
    snapshot,
    isolate: () => breaker.isolate(),
    dispose() {
      disposed = true;
      for (const listener of listeners) listener.dispose();
    },
  };
}
