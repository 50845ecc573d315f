import { setTimeout as sleep } from "node:timers/promises";

/** The bytes of one callback attempt. */
export interface CallbackMessage {
  headers: Record<string, string>;
  body: string;
}

/** How one attempt ended: the receiver's HTTP status, or null and the error when no answer came. */
export interface DeliveryOutcome {
  status: number | null;
  error?: string;
}

/** One attempt as a simulator records it for `GET /sim/notifications` and its stats. */
export interface CallbackAttempt {
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** When the attempt started, ISO 8601 from the simulator's clock. */
  at: string;
  /** HTTP status of the receiver's answer; absent when no answer came. */
  status?: number;
  error?: string;
}

/** One callback to deliver: its bytes and where its attempts are recorded. */
export interface OutgoingCallback {
  /**
   * The headers and body of an attempt, asked for once per attempt: a provider that signs each
   * delivery (SNAP, Wise) signs anew; one that resends fixed bytes (Midtrans, Xendit) returns them.
   */
  message(): CallbackMessage;
  /** Told of each attempt once it ended, e.g. to keep it with the provider's own fields. */
  onAttempt(attempt: CallbackAttempt): void;
}

/** Where callbacks' timing comes from: the simulator's options and its closing signal. */
export interface CallbackDeliveryOptions {
  /** The simulator closing: stops retries and attempts in flight. */
  signal: AbortSignal;
  clock: () => Date;
  /** How long an attempt waits for the receiver's answer. */
  timeoutMs: number;
  /** Waits before each retry; its length is the retry count. */
  retryDelaysMs: readonly number[];
  /**
   * Waits `ms` before a retry, rejecting when `signal` aborts first; replaceable so tests can see the
   * backoff without waiting it out. @default setTimeout of node:timers/promises
   */
  wait?: (ms: number, signal: AbortSignal) => Promise<unknown>;
  /**
   * Keeps the simulator's state before each attempt goes out, so no notification reports a change a
   * restart would forget (see openDurableState); if it throws, the attempt fails without a POST.
   * @default nothing (in memory)
   */
  saveState?: () => void;
}

/** Delivers callbacks (JSON POSTs) the way providers do: one attempt now, retries later. */
export interface CallbackDelivery {
  /** One attempt, numbered `attemptNo`, and no retry. A failed POST is an outcome, not a rejection. */
  attempt(url: string, callback: OutgoingCallback, attemptNo: number): Promise<DeliveryOutcome>;
  /**
   * The first attempt, resolved with its outcome. On a non-2xx answer or a network error the callback
   * is retried in the background with the configured backoff until one attempt gets a 2xx.
   */
  send(url: string, callback: OutgoingCallback): Promise<DeliveryOutcome>;
}

/** True for a 2xx status: the receiver took the callback, so no retry follows. */
export function isSuccessStatus(status: number | null | undefined): boolean {
  return status !== null && status !== undefined && status >= 200 && status < 300;
}

/** Creates the delivery used by a simulator's notifier. */
export function createCallbackDelivery(options: CallbackDeliveryOptions): CallbackDelivery {
  const { signal, clock, timeoutMs, retryDelaysMs } = options;
  const wait = options.wait ?? ((ms: number, abort: AbortSignal) => sleep(ms, undefined, { signal: abort }));

  async function attempt(
    url: string,
    callback: OutgoingCallback,
    attemptNo: number,
  ): Promise<DeliveryOutcome> {
    const { headers, body } = callback.message();
    const started = { url, attempt: attemptNo, at: clock().toISOString() };
    try {
      options.saveState?.();
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      await response.arrayBuffer();
      callback.onAttempt({ ...started, status: response.status });
      return { status: response.status };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      callback.onAttempt({ ...started, error: message });
      return { status: null, error: message };
    }
  }

  async function retry(url: string, callback: OutgoingCallback): Promise<void> {
    for (const [index, delayMs] of retryDelaysMs.entries()) {
      try {
        await wait(delayMs, signal);
      } catch {
        return; // the simulator is closing
      }
      if (isSuccessStatus((await attempt(url, callback, index + 2)).status)) return;
    }
  }

  return {
    attempt,
    async send(url, callback) {
      const first = await attempt(url, callback, 1);
      if (!isSuccessStatus(first.status) && !signal.aborted) void retry(url, callback);
      return first;
    },
  };
}
