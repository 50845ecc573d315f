import { setTimeout as sleep } from "node:timers/promises";
import type { SimState, SimStateChange } from "./sim-state.ts";
import { signWebhook } from "./webhook-event.ts";

/** One change of one transfer, to be reported by webhook. */
export interface WebhookJob {
  transferId: number;
  change: SimStateChange;
}

/** The first delivery attempt of one webhook: the receiver's HTTP status, or null with no answer. */
export interface FirstDelivery {
  transferId: number;
  state: string;
  status: number | null;
  error?: string;
}

/** Sends `transfers#state-change` webhooks to the configured notifyUrl. */
export interface Notifier {
  /**
   * Delivers the webhooks of one action, honouring `duplicateCallbacks` (each sent twice) and
   * `reorderCallbacks` (newest first). Resolves after each one's first attempt, made one after the
   * other; a non-2xx answer or network error is retried in the background with the configured
   * backoff, every attempt recorded in `state.deliveries`.
   */
  deliver(jobs: readonly WebhookJob[]): Promise<FirstDelivery[]>;
}

/** Creates the notifier. `signal` (the simulator closing) stops retries and deliveries in flight. */
export function createNotifier(options: { state: SimState; signal: AbortSignal }): Notifier {
  const { state, signal } = options;

  async function attempt(job: WebhookJob, url: string, attemptNo: number): Promise<FirstDelivery> {
    const { clock, newId, webhookPrivateKey, notifyTimeoutMs } = state.options;
    const signed = signWebhook(job.change.webhookBody, webhookPrivateKey, newId());
    const record = {
      transferId: job.transferId,
      state: job.change.state,
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
      return { transferId: job.transferId, state: job.change.state, status: response.status };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      state.deliveries.push({ ...record, error: message });
      return { transferId: job.transferId, state: job.change.state, status: null, error: message };
    }
  }

  async function retry(job: WebhookJob, url: string): Promise<void> {
    for (const [index, delayMs] of state.options.notifyRetryDelaysMs.entries()) {
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return; // the simulator is closing
      }
      if (isSuccess(await attempt(job, url, index + 2))) return;
    }
  }

  return {
    async deliver(jobs) {
      const url = state.config.notifyUrl;
      if (url === undefined) return [];
      const ordered = state.config.reorderCallbacks ? [...jobs].reverse() : [...jobs];
      const sends = state.config.duplicateCallbacks ? ordered.flatMap((job) => [job, job]) : ordered;
      const results: FirstDelivery[] = [];
      for (const job of sends) {
        if (signal.aborted) break;
        const first = await attempt(job, url, 1);
        if (!isSuccess(first)) void retry(job, url);
        results.push(first);
      }
      return results;
    },
  };
}

function isSuccess(result: FirstDelivery): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}
