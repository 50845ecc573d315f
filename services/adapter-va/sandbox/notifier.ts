import { setTimeout as sleep } from "node:timers/promises";
import type { SimState } from "./sim-state.ts";
import type { SimTransaction } from "./transaction-store.ts";
import { notificationBody } from "./transaction-view.ts";

/** The outcome of a notification's first delivery attempt. */
export interface FirstDelivery {
  /** HTTP status of the first receiver's answer; null without a notify URL, without an answer, or when held. */
  status: number | null;
  error?: string;
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
export function createNotifier(options: { state: SimState; signal: AbortSignal }): Notifier {
  const { state, signal } = options;
  const tails = new Map<string, Promise<unknown>>();
  const held = new Map<string, Job>();

  function enqueue<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    const next = (tails.get(orderId) ?? Promise.resolve()).then(work, work);
    tails.set(orderId, next);
    return next;
  }

  async function attempt(job: Job, url: string, attemptNo: number): Promise<FirstDelivery> {
    const record = {
      orderId: job.orderId,
      transactionStatus: job.transactionStatus,
      url,
      attempt: attemptNo,
      at: state.options.clock().toISOString(),
    };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: job.body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(state.options.notifyTimeoutMs)]),
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

  async function retry(job: Job, url: string): Promise<void> {
    for (const [index, delayMs] of state.options.notifyRetryDelaysMs.entries()) {
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return; // the simulator is closing
      }
      if (isSuccess(await attempt(job, url, index + 2))) return;
    }
  }

  async function send(job: Job): Promise<FirstDelivery> {
    let first: FirstDelivery = { status: null };
    for (const [index, url] of job.urls.entries()) {
      const result = await attempt(job, url, 1);
      if (!isSuccess(result) && !signal.aborted) void retry(job, url);
      if (state.config.duplicateCallbacks) await attempt(job, url, 1);
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

function isSuccess(result: FirstDelivery): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}
