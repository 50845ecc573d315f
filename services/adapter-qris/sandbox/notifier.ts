import type { KeyObject } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { notificationBody, relativePath, signNotification } from "./notification.ts";
import type { SimPayment } from "./payment-store.ts";
import type { SimState } from "./sim-state.ts";

/** The outcome of a notification's first delivery attempt. */
export interface FirstDelivery {
  /** HTTP status of the receiver's answer; null when there is no notifyUrl or no answer came. */
  status: number | null;
  error?: string;
}

/** Sends payment notifications to the configured notifyUrl. */
export interface Notifier {
  /**
   * Delivers a notification of the payment's current state. Resolves after the first attempt;
   * on a non-2xx answer or a network error it retries in the background with the configured
   * backoff, recording every attempt in `state.deliveries`.
   */
  deliver(payment: SimPayment): Promise<FirstDelivery>;
}

/** Creates the notifier. `signal` (the simulator closing) stops retries and in-flight deliveries. */
export function createNotifier(options: {
  state: SimState;
  privateKey: KeyObject;
  signal: AbortSignal;
}): Notifier {
  const { state, signal } = options;

  async function attempt(
    payment: SimPayment,
    url: string,
    body: string,
    attemptNo: number,
  ): Promise<FirstDelivery> {
    const { clock, newId, partnerId, channelId, notifyTimeoutMs } = state.options;
    const signed = signNotification({
      body,
      path: relativePath(url),
      privateKey: options.privateKey,
      now: clock(),
      externalId: newId(),
      partnerId,
      channelId,
    });
    const record = {
      referenceNo: payment.referenceNo,
      partnerReferenceNo: payment.partnerReferenceNo,
      url,
      attempt: attemptNo,
      at: clock().toISOString(),
    };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(notifyTimeoutMs)]),
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

  async function retry(payment: SimPayment, url: string, body: string): Promise<void> {
    const delays = state.options.notifyRetryDelaysMs;
    for (const [index, delayMs] of delays.entries()) {
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return; // the simulator is closing
      }
      const result = await attempt(payment, url, body, index + 2);
      if (isSuccess(result)) return;
    }
  }

  return {
    async deliver(payment) {
      const url = state.config.notifyUrl;
      if (url === undefined) return { status: null };
      const body = notificationBody(payment);
      const first = await attempt(payment, url, body, 1);
      if (!isSuccess(first) && !signal.aborted) void retry(payment, url, body);
      return first;
    },
  };
}

function isSuccess(result: FirstDelivery): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}
