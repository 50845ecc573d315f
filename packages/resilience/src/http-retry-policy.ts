import {
  DelegateBackoff,
  decorrelatedJitterGenerator,
  handleWhen,
  type IRetryBackoffContext,
  retry,
} from "cockatiel";
import { settleEarlyWhileWaiting } from "./call-scope.ts";
import { checkMs, checkWhole } from "./config-checks.ts";
import type {
  HttpResponseLike,
  HttpRetryJudgement,
  HttpRetryPolicy,
  HttpRetryPolicyOptions,
} from "./http-retry-types.ts";
import { safeListener } from "./policy-events.ts";
import { retryAfterMs } from "./retry-after.ts";

/** Defaults of createHttpRetryPolicy, in one place. */
export const HTTP_RETRY_DEFAULTS = Object.freeze({ maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 });

type Outcome<R> = { response: R } | { error: unknown };

/**
 * Wraps an adapter's fetch to its provider: retries 429 and 5xx with exponential backoff (decorrelated
 * jitter) that honours Retry-After, capped by maxDelayMs. It gives the last response back unchanged when
 * retries run out, so the adapter maps it like any other. Never retries what may already have acted:
 * a response `provedActed` accepts, or an error `isSafeToRetryError` does not clear.
 */
export function createHttpRetryPolicy(options: HttpRetryPolicyOptions): HttpRetryPolicy {
  const { name } = options;
  const maxAttempts = options.maxAttempts ?? HTTP_RETRY_DEFAULTS.maxAttempts;
  const initialDelay = options.initialDelayMs ?? HTTP_RETRY_DEFAULTS.initialDelayMs;
  const maxDelay = options.maxDelayMs ?? HTTP_RETRY_DEFAULTS.maxDelayMs;
  checkWhole(`${name}.maxAttempts`, maxAttempts, 1);
  checkMs(`${name}.initialDelayMs`, initialDelay, 0);
  checkMs(`${name}.maxDelayMs`, maxDelay, initialDelay);
  const emit = safeListener(options.onEvent);
  const jitter = { generator: decorrelatedJitterGenerator, exponent: 2, initialDelay, maxDelay };

  async function execute<R extends HttpResponseLike>(
    call: (signal: AbortSignal) => Promise<R>,
    callOptions: HttpRetryJudgement & { signal?: AbortSignal } = {},
  ): Promise<R> {
    const provedActed = callOptions.provedActed ?? options.provedActed ?? (() => false);
    const isSafeToRetryError = callOptions.isSafeToRetryError ?? options.isSafeToRetryError ?? (() => false);
    const signal = callOptions.signal ?? new AbortController().signal;
    signal.throwIfAborted();
    let last: Outcome<R> | undefined;
    let retryThis = false;
    let retryAfter: number | undefined;
    let calling = false;
    const replay = async (outcome: Outcome<R>) => {
      if ("error" in outcome) throw outcome.error;
      return outcome.response;
    };

    async function attempt(): Promise<R> {
      // After a backoff that outlived the caller, the last answer is the answer.
      if (signal.aborted && last !== undefined) return replay(last);
      calling = true;
      try {
        const response = await call(signal);
        last = { response };
        retryThis = retryableStatus(response.status) && !provedActed(response);
        return response;
      } catch (error) {
        last = { error };
        retryThis = !signal.aborted && isSafeToRetryError(error);
        throw error;
      } finally {
        calling = false;
      }
    }

    // The verdict is taken in attempt(), where the response is typed; cockatiel asks right after it.
    const policy = retry(
      handleWhen(() => retryThis).orWhenResult(() => retryThis),
      { maxAttempts: maxAttempts - 1, backoff: new DelegateBackoff(backoffDelay) },
    );
    function backoffDelay(_context: IRetryBackoffContext<unknown>, state?: [number, number]) {
      const [delay, next] = decorrelatedJitterGenerator(state, jitter);
      const headers = last !== undefined && "response" in last ? last.response.headers : undefined;
      retryAfter = headers === undefined ? undefined : retryAfterMs(headers.get("retry-after"), Date.now());
      return { delay: retryAfter === undefined ? delay : Math.min(retryAfter, maxDelay), state: next };
    }
    const listener = policy.onRetry((event) =>
      emit({
        type: "retry",
        name,
        attempt: event.attempt,
        delayMs: event.delay,
        status: last !== undefined && "response" in last ? last.response.status : undefined,
        retryAfterMs: retryAfter,
        error: "error" in event ? event.error : undefined,
      }),
    );
    try {
      const work = policy.execute(attempt, signal);
      return await settleEarlyWhileWaiting(
        work,
        signal,
        () => !calling,
        async () => {
          if (last === undefined) throw signal.reason;
          return replay(last);
        },
      );
    } finally {
      listener.dispose();
    }
  }

  return { execute };
}

/** 429 (the provider asks us to slow down) and 5xx (it failed before or while deciding). */
function retryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}
