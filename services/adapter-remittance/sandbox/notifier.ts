import { createCallbackDelivery, type DeliveryOutcome } from "@paymesh/sandbox-kit";
import type { SimState, SimStateChange, SimTransfer } from "./sim-state.ts";
import { changeWebhookBody, signWebhook } from "./webhook-event.ts";

/** One change of one transfer, to be reported by webhook. */
export interface WebhookJob {
  transfer: SimTransfer;
  change: SimStateChange;
}

/** The first delivery attempt of one webhook: the receiver's HTTP status, or null with no answer. */
export interface FirstDelivery extends DeliveryOutcome {
  transferId: number;
  state: string;
}

/** Sends `transfers#state-change` webhooks to the configured notifyUrl. */
export interface Notifier {
  /**
   * Delivers the webhooks of one action, honouring `duplicateCallbacks` (each sent twice) and
   * `reorderCallbacks` (newest first). Resolves after each one's first attempt, made one after the
   * other; a non-2xx answer or network error is retried in the background with the configured
   * backoff, every attempt recorded in `state.records`.
   */
  deliver(jobs: readonly WebhookJob[]): Promise<FirstDelivery[]>;
}

/** Creates the notifier. `signal` (the simulator closing) stops retries and deliveries in flight. */
export function createNotifier(options: {
  state: SimState;
  signal: AbortSignal;
  /** Keeps the simulator's state before each attempt (see openDurableState). */
  saveState: () => void;
}): Notifier {
  const { state, signal } = options;
  const { clock, newId, webhookPrivateKey, notifyTimeoutMs, notifyRetryDelaysMs } = state.options;
  const delivery = createCallbackDelivery({
    signal,
    clock,
    timeoutMs: notifyTimeoutMs,
    retryDelaysMs: notifyRetryDelaysMs,
    saveState: options.saveState,
  });

  return {
    async deliver(jobs) {
      const url = state.config.notifyUrl;
      if (url === undefined) return [];
      const ordered = state.config.reorderCallbacks ? [...jobs].reverse() : [...jobs];
      const sends = state.config.duplicateCallbacks ? ordered.flatMap((job) => [job, job]) : ordered;
      const results: FirstDelivery[] = [];
      for (const job of sends) {
        if (signal.aborted) break;
        const { transfer, change } = job;
        const transferId = transfer.id;
        const first = await delivery.send(url, {
          // Built and signed per attempt: `sent_at` and `X-Delivery-Id` are fresh each time
          // (sandbox/README.md).
          message: () =>
            signWebhook(
              changeWebhookBody(transfer, change, clock(), state.subscriptionId),
              webhookPrivateKey,
              newId(),
            ),
          onAttempt: (attempt) =>
            state.records.recordAttempt({ transferId, state: change.state, ...attempt }),
        });
        results.push({ transferId, state: change.state, ...first });
      }
      return results;
    },
  };
}
