import { setTimeout as sleep } from "node:timers/promises";
import type { SimDisbursement } from "./disbursement-store.ts";
import { callbackBody } from "./disbursement-view.ts";
import type { SimState } from "./sim-state.ts";

/** The outcome of a callback's first delivery attempt. */
export interface FirstDelivery {
  /** HTTP status of the receiver's answer; null without a notifyUrl, when held, or when no answer came. */
  status: number | null;
  error?: string;
  /** True when `reorderCallbacks` holds this callback back until the next one. */
  held?: boolean;
}

/** Sends disbursement callbacks to the configured notifyUrl. */
export interface CallbackSender {
  /**
   * Delivers a callback of the disbursement's current state. Resolves after the first attempt;
   * a non-2xx answer or a network error is retried in the background with the configured
   * backoff (Xendit retries until it gets a 2xx), every attempt recorded in `state.deliveries`.
   */
  deliver(disbursement: SimDisbursement): Promise<FirstDelivery>;
  /** Sends a callback held back by `reorderCallbacks`, if any. */
  flushHeld(): Promise<void>;
  /** Drops a held callback without sending it (`POST /sim/reset`). */
  forgetHeld(): void;
}

interface Callback {
  disbursement: SimDisbursement;
  /** The status reported, as of the event (the record itself may move on). */
  status: string;
  /** Fixed when the event happens: a retry or duplicate resends these exact bytes. */
  body: string;
}

/** Creates the sender. `signal` (the simulator closing) stops retries and deliveries in flight. */
export function createCallbackSender(options: { state: SimState; signal: AbortSignal }): CallbackSender {
  const { state, signal } = options;
  let held: Callback | undefined;

  async function attempt(callback: Callback, url: string, attemptNo: number): Promise<FirstDelivery> {
    const { clock, callbackToken, callbackTimeoutMs } = state.options;
    const record = {
      disbursementId: callback.disbursement.id,
      externalId: callback.disbursement.externalId,
      disbursementStatus: callback.status,
      url,
      attempt: attemptNo,
      at: clock().toISOString(),
    };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-callback-token": callbackToken },
        body: callback.body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(callbackTimeoutMs)]),
      });
      await response.arrayBuffer();
      state.deliveries.push({ ...record, status: response.status });
      return { status: response.status };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      state.deliveries.push({ ...record, error: message });
      return { status: null, error: message };
    }
  }

  async function retry(callback: Callback, url: string): Promise<void> {
    for (const [index, delayMs] of state.options.callbackRetryDelaysMs.entries()) {
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return; // the simulator is closing
      }
      if (isSuccess(await attempt(callback, url, index + 2))) return;
    }
  }

  /** One delivery with its retries; twice when `duplicateCallbacks` is on. */
  async function send(callback: Callback, url: string): Promise<FirstDelivery> {
    const copies = state.config.duplicateCallbacks ? 2 : 1;
    let first: FirstDelivery | undefined;
    for (let copy = 0; copy < copies; copy += 1) {
      const result = await attempt(callback, url, 1);
      if (!isSuccess(result) && !signal.aborted) void retry(callback, url);
      first ??= result;
    }
    return first ?? { status: null };
  }

  return {
    async deliver(disbursement) {
      const url = state.config.notifyUrl;
      if (url === undefined) return { status: null };
      const callback = { disbursement, status: disbursement.status, body: callbackBody(disbursement) };
      if (!state.config.reorderCallbacks) return send(callback, url);
      const earlier = held;
      if (earlier === undefined) {
        held = callback;
        return { status: null, held: true };
      }
      held = undefined;
      const first = await send(callback, url);
      await send(earlier, url);
      return first;
    },
    async flushHeld() {
      const url = state.config.notifyUrl;
      const earlier = held;
      held = undefined;
      if (earlier !== undefined && url !== undefined) await send(earlier, url);
    },
    forgetHeld() {
      held = undefined;
    },
  };
}

function isSuccess(result: FirstDelivery): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}
