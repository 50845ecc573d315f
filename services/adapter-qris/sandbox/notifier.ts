import type { KeyObject } from "node:crypto";
import { createCallbackDelivery, type DeliveryOutcome } from "@paymesh/sandbox-kit";
import { notificationBody, relativePath, signNotification } from "./notification.ts";
import type { SimPayment } from "./payment-store.ts";
import type { SimState } from "./sim-state.ts";

/** The outcome of a notification's first delivery attempt; `status` is null without a notifyUrl too. */
export type FirstDelivery = DeliveryOutcome;

/** Sends payment notifications to the configured notifyUrl. */
export interface Notifier {
  /**
   * Delivers a notification of the payment's current state. Resolves after the first attempt;
   * on a non-2xx answer or a network error it retries in the background with the configured
   * backoff, recording every attempt in `state.records`.
   */
  deliver(payment: SimPayment): Promise<FirstDelivery>;
}

/** Creates the notifier. `signal` (the simulator closing) stops retries and in-flight deliveries. */
export function createNotifier(options: {
  state: SimState;
  privateKey: KeyObject;
  signal: AbortSignal;
  /** Keeps the simulator's state before each attempt (see openDurableState). */
  saveState: () => void;
}): Notifier {
  const { state, signal } = options;
  const { clock, newId, partnerId, channelId, notifyTimeoutMs, notifyRetryDelaysMs } = state.options;
  const delivery = createCallbackDelivery({
    signal,
    clock,
    timeoutMs: notifyTimeoutMs,
    retryDelaysMs: notifyRetryDelaysMs,
    saveState: options.saveState,
  });

  return {
    async deliver(payment) {
      const url = state.config.notifyUrl;
      if (url === undefined) return { status: null };
      const body = notificationBody(payment);
      const { referenceNo, partnerReferenceNo } = payment;
      return delivery.send(url, {
        // SNAP notifications are signed per attempt: a retry has its own X-TIMESTAMP and X-EXTERNAL-ID.
        message: () =>
          signNotification({
            body,
            path: relativePath(url),
            privateKey: options.privateKey,
            now: clock(),
            externalId: newId(),
            partnerId,
            channelId,
          }),
        onAttempt: (attempt) => state.records.recordAttempt({ referenceNo, partnerReferenceNo, ...attempt }),
      });
    },
  };
}
