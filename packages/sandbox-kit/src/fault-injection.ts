import type { IncomingMessage } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** An injected error for the next `count` requests; the rest of it is the provider's error. */
export interface FailNext {
  count: number;
}

/**
 * The faults a test injects with `POST /sim/config`, shared by every simulator. `F` describes the
 * provider error `failNext` answers (a SNAP responseCode, a Midtrans status_code, …).
 */
export interface FaultConfig<F extends FailNext> {
  /** Delay before each request the faults apply to is processed. */
  latencyMs: number;
  /** The next `count` requests answer this error without being processed. */
  failNext: F | undefined;
  /** The next n requests have their connection destroyed after the body is read, unprocessed. */
  resetConnections: number;
}

/** A config that injects nothing: how every simulator starts and what `POST /sim/reset` restores. */
export function noFaults(): { latencyMs: number; failNext: undefined; resetConnections: number } {
  return { latencyMs: 0, failNext: undefined, resetConnections: 0 };
}

/** What {@link injectFaults} did to a request. */
export type InjectedFault<F> =
  /** The connection is gone: answer nothing. */
  | { kind: "reset" }
  /** Answer this error in the provider's shape, without processing the request. */
  | { kind: "fail"; failNext: F }
  /** Process the request as usual (after any latency). */
  | { kind: "none" };

/**
 * Applies the injected faults to one request whose body has been read, in the order a real outage
 * shows them: a reset connection (no answer), then latency, then an injected error. Counters go down
 * by one per request they hit; a spent `failNext` is cleared. Processing continues after the wait
 * even if the client gave up, as a provider does not notice; `signal` (the simulator closing) ends it.
 */
export async function injectFaults<F extends FailNext>(
  config: FaultConfig<F>,
  request: IncomingMessage,
  options: {
    signal: AbortSignal;
    /** Whether `failNext` is aimed at this request, e.g. at one endpoint only. @default always */
    failNextApplies?: (failNext: F) => boolean;
  },
): Promise<InjectedFault<F>> {
  if (config.resetConnections > 0) {
    config.resetConnections -= 1;
    request.socket.destroy();
    return { kind: "reset" };
  }
  if (config.latencyMs > 0) await sleep(config.latencyMs, undefined, { signal: options.signal });
  const failNext = config.failNext;
  if (failNext !== undefined && failNext.count > 0 && (options.failNextApplies?.(failNext) ?? true)) {
    failNext.count -= 1;
    if (failNext.count === 0) config.failNext = undefined;
    return { kind: "fail", failNext };
  }
  return { kind: "none" };
}
