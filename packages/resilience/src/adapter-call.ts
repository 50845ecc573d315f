import {
  type CircuitBreakerPolicy,
  handleWhen,
  type IBackoffFactory,
  type IRetryBackoffContext,
  retry,
  TimeoutStrategy,
  timeout,
} from "cockatiel";
import type { AdapterPolicyConfig } from "./adapter-policy-config.ts";
import type { CallScope } from "./call-scope.ts";
import { isCircuitOpenError, PolicyTimeoutError, stopReasonOf } from "./policy-errors.ts";
import type { CallKind, PolicyEvent } from "./policy-events.ts";

/** What every call of one adapter policy shares: above all the breaker, whose state spans calls. */
export interface AdapterCallShared {
  adapter: string;
  config: AdapterPolicyConfig;
  breaker: CircuitBreakerPolicy;
  backoff: IBackoffFactory<IRetryBackoffContext<unknown>>;
  emit: (event: PolicyEvent) => void;
}

/** One execute() in progress: its attempts so far, and the retry loop that runs them. */
export interface AdapterCall<T> {
  /** True while an attempt is running, false while queued, waiting on a probe, or backing off. */
  readonly calling: boolean;
  /** The failure to report if the call must end now: the last attempt's, or "never started". */
  currentFailure(reason?: "deadline" | "cancelled"): unknown;
  run(): Promise<T>;
}

/**
 * Builds the retry → breaker → timeout chain for one call. The breaker sits inside the retry so that
 * every attempt is sampled and a circuit that opens mid-call stops the retries at once; the retry is
 * built per call because the caller's `retryable` decides what repeating is safe for this request.
 */
export function createAdapterCall<T>(
  shared: AdapterCallShared,
  kind: CallKind,
  call: (signal: AbortSignal) => Promise<T>,
  scope: CallScope,
  retryable: (error: unknown) => boolean,
): AdapterCall<T> {
  const { adapter, config, breaker, emit } = shared;
  let calling = false;
  let attempts = 0;
  let failed = false;
  let lastError: unknown;

  // Once an attempt has failed, its error is the truth about this call; anything later is bookkeeping.
  const currentFailure = (reason = scope.stopReason ?? "deadline") =>
    failed
      ? lastError
      : new PolicyTimeoutError(`adapter ${adapter}: ${reason} before the call started`, {
          reason,
          callStarted: false,
        });

  const shouldRetry = (error: unknown): boolean => {
    if (kind === "once" || scope.signal.aborted || isCircuitOpenError(error)) return false;
    const stop = stopReasonOf(error);
    return stop !== "cancelled" && stop !== "deadline" && retryable(error);
  };

  async function attemptOnce(): Promise<T> {
    // After a backoff that outlived the caller: report what happened rather than call again.
    if (scope.signal.aborted) throw currentFailure();
    const budgetMs = Math.min(config.timeoutMs, scope.remainingMs());
    if (budgetMs <= 0) throw currentFailure("deadline");
    return breaker.execute(() => timedAttempt(budgetMs), scope.signal);
  }

  async function timedAttempt(budgetMs: number): Promise<T> {
    const attempt = ++attempts;
    calling = true;
    try {
      // Cooperative: the call gets the signal and decides how to stop; abortOnReturn is off so that
      // whatever the call returns is not cancelled under the caller's feet.
      return await timeout(budgetMs, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false }).execute(
        async (_context, signal) => {
          try {
            return await call(signal);
          } catch (error) {
            throw signal.aborted ? stopped(error, budgetMs, attempt) : error;
          }
        },
        scope.signal,
      );
    } catch (error) {
      failed = true;
      lastError = error;
      throw error;
    } finally {
      calling = false;
    }
  }

  function stopped(cause: unknown, budgetMs: number, attempt: number): PolicyTimeoutError {
    const reason = scope.stopReason ?? (budgetMs < config.timeoutMs ? "deadline" : "timeout");
    if (reason !== "cancelled")
      emit({ type: "timeout", adapter, kind, attempt, timeoutMs: budgetMs, reason });
    const what =
      reason === "cancelled" ? "cancelled by the caller" : `timed out after ${budgetMs} ms (${reason})`;
    return new PolicyTimeoutError(`adapter ${adapter}: attempt ${attempt} ${what}`, {
      reason,
      callStarted: true,
      cause,
    });
  }

  async function run(): Promise<T> {
    // cockatiel counts retries, not attempts: maxAttempts 3 there would mean 4 calls.
    const maxRetries = kind === "once" ? 0 : config.retry.maxAttempts - 1;
    const policy = retry(handleWhen(shouldRetry), { maxAttempts: maxRetries, backoff: shared.backoff });
    const listener = policy.onRetry((event) =>
      emit({
        type: "retry",
        adapter,
        kind,
        attempt: event.attempt,
        delayMs: event.delay,
        error: "error" in event ? event.error : undefined,
      }),
    );
    try {
      return await policy.execute(attemptOnce, scope.signal);
    } catch (error) {
      // The circuit opened between attempts: an earlier attempt did reach the adapter, so "circuit
      // open" (which tells the router "never reached, fail over") would be a lie. Report that attempt.
      throw isCircuitOpenError(error) && failed ? lastError : error;
    } finally {
      listener.dispose();
    }
  }

  return {
    get calling() {
      return calling;
    },
    currentFailure,
    run,
  };
}
