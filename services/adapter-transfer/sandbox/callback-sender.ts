import { createCallbackDelivery, type DeliveryOutcome, type OutgoingCallback } from "@paymesh/sandbox-kit";
import type { SimDisbursement } from "./disbursement-store.ts";
import { callbackBody } from "./disbursement-view.ts";
import type { SimState } from "./sim-state.ts";

/**
 * The outcome of a callback's first delivery attempt. `status` is the receiver's answer; null without
 * a notifyUrl, when held, or when no answer came.
 */
export interface FirstDelivery extends DeliveryOutcome {
  /** True when `reorderCallbacks` holds this callback back until the next one. */
  held?: boolean;
}

/** Sends disbursement callbacks to the configured notifyUrl. */
export interface CallbackSender {
  /**
   * Delivers a callback of the disbursement's current state. Resolves after the first attempt;
   * a non-2xx answer or a network error is retried in the background with the configured
   * backoff (Xendit retries until it gets a 2xx), every attempt recorded in `state.records`.
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
export function createCallbackSender(options: {
  state: SimState;
  signal: AbortSignal;
  /** Keeps the simulator's state before each attempt (see openDurableState). */
  saveState: () => void;
}): CallbackSender {
  const { state, signal } = options;
  let held: Callback | undefined;
  const delivery = createCallbackDelivery({
    signal,
    clock: state.options.clock,
    timeoutMs: state.options.callbackTimeoutMs,
    retryDelaysMs: state.options.callbackRetryDelaysMs,
    saveState: options.saveState,
  });

  /** One delivery with its retries; twice when `duplicateCallbacks` is on. */
  async function send(callback: Callback, url: string): Promise<FirstDelivery> {
    const outgoing: OutgoingCallback = {
      message: () => ({
        headers: { "content-type": "application/json", "x-callback-token": state.options.callbackToken },
        body: callback.body,
      }),
      onAttempt: (attempt) =>
        state.records.recordAttempt({
          disbursementId: callback.disbursement.id,
          externalId: callback.disbursement.externalId,
          disbursementStatus: callback.status,
          ...attempt,
        }),
    };
    const copies = state.config.duplicateCallbacks ? 2 : 1;
    let first: FirstDelivery | undefined;
    for (let copy = 0; copy < copies; copy += 1) {
      const result = await delivery.send(url, outgoing);
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
