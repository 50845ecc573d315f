import { createCallbackDelivery, type DeliveryOutcome, type OutgoingCallback } from "@paymesh/sandbox-kit";
import type { SimState } from "./sim-state.ts";
import type { SimTransaction } from "./transaction-store.ts";
import { notificationBody } from "./transaction-view.ts";

/**
 * The outcome of a notification's first delivery attempt. `status` is the first receiver's answer;
 * null without a notify URL, without an answer, or when held.
 */
export interface FirstDelivery extends DeliveryOutcome {
  /** True when `reorderCallbacks` held it back to send after the next notification of the order. */
  held?: boolean;
}

/** One notification, its bytes fixed when the event happened. */
interface Job {
  orderId: string;
  transactionStatus: string;
  urls: readonly string[];
  body: string;
}

/** Sends Midtrans HTTP notifications (JSON POST, `Content-Type: application/json`, signature in the body). */
export interface Notifier {
  /**
   * Notifies the transaction's current state. Notifications of one order go out in order, one at
   * a time; resolves after the first attempt. A non-2xx answer or a network error is retried in
   * the background with the configured backoff (Midtrans retries on the merchant's reply code).
   */
  deliver(transaction: SimTransaction): Promise<FirstDelivery>;
  /** Sends whatever `reorderCallbacks` still holds (it was switched off). */
  flushHeld(): Promise<void>;
  /** Drops held notifications (reset). */
  clear(): void;
}

/** Creates the notifier. `signal` (the simulator closing) stops retries and deliveries in flight. */
export function createNotifier(options: {
  state: SimState;
  signal: AbortSignal;
  /** Keeps the simulator's state before each attempt (see openDurableState). */
  saveState: () => void;
}): Notifier {
  const { state, signal } = options;
  const tails = new Map<string, Promise<unknown>>();
  const held = new Map<string, Job>();
  const delivery = createCallbackDelivery({
    signal,
    clock: state.options.clock,
    timeoutMs: state.options.notifyTimeoutMs,
    retryDelaysMs: state.options.notifyRetryDelaysMs,
    saveState: options.saveState,
  });

  function enqueue<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    const next = (tails.get(orderId) ?? Promise.resolve()).then(work, work);
    tails.set(orderId, next);
    return next;
  }

  async function send(job: Job): Promise<FirstDelivery> {
    const callback: OutgoingCallback = {
      message: () => ({ headers: { "Content-Type": "application/json" }, body: job.body }),
      onAttempt: (attempt) =>
        state.records.recordAttempt({
          orderId: job.orderId,
          transactionStatus: job.transactionStatus,
          ...attempt,
        }),
    };
    let first: FirstDelivery = { status: null };
    for (const [index, url] of job.urls.entries()) {
      const result = await delivery.send(url, callback);
      if (state.config.duplicateCallbacks) await delivery.attempt(url, callback, 1);
      if (index === 0) first = result;
    }
    return first;
  }

  return {
    async deliver(transaction) {
      const { notifyUrl } = state.config;
      const urls = transaction.notifyUrls ?? (notifyUrl === undefined ? [] : [notifyUrl]);
      const { merchantId, serverKey } = state.options;
      const job: Job = {
        orderId: transaction.orderId,
        transactionStatus: transaction.status,
        urls,
        body: notificationBody(transaction, merchantId, serverKey),
      };
      if (urls.length === 0) return { status: null };
      if (!state.config.reorderCallbacks) return enqueue(job.orderId, () => send(job));
      const older = held.get(job.orderId);
      if (older === undefined) {
        held.set(job.orderId, job);
        return { status: null, held: true };
      }
      held.delete(job.orderId);
      const first = enqueue(job.orderId, () => send(job));
      void enqueue(job.orderId, () => send(older));
      return first;
    },
    async flushHeld() {
      const jobs = [...held.values()];
      held.clear();
      await Promise.all(jobs.map((job) => enqueue(job.orderId, () => send(job))));
    },
    clear: () => held.clear(),
  };
}
