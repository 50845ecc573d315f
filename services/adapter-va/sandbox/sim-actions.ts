import { ControlError, type SimCounts } from "@paymesh/sandbox-kit";
import type { FirstDelivery, Notifier } from "./notifier.ts";
import type { DeliveryAttempt, SimConfig, SimState } from "./sim-state.ts";
import type { SimStatus, SimTransaction } from "./transaction-store.ts";
import { notificationBody, REPORTED_STATUS_CODES } from "./transaction-view.ts";

/** A notification exactly as it would go on the wire, for tests that deliver it themselves. */
export interface RecordedNotification {
  /** Path of the receiving URL (the router's `/webhooks/va`). */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Counters behind `GET /sim/stats`; `charges` counts VA numbers really issued (pending transactions created): what Midtrans would have charged for. */
export interface SimStats extends Pick<SimCounts, "charges" | "requests"> {
  /** Notification attempts made, and those the receiver took with a 2xx. */
  notifications: number;
  notificationsDelivered: number;
}

/** What a test can do to a running simulator; the control API and the handle both call these. */
export interface SimActions {
  /** The customer pays into the VA: pending → settlement, and the notification is sent. */
  pay(orderId: string): Promise<{ transaction: SimTransaction; delivery: FirstDelivery }>;
  /** The VA runs out of time now: pending → expire, and the notification is sent. */
  expire(orderId: string): Promise<{ transaction: SimTransaction; delivery: FirstDelivery }>;
  /**
   * Makes status answers and notifications report this transaction_status (with its status_code,
   * by default the one Midtrans pairs with it, and fraud_status, default `accept`) from now on;
   * with `notify`, sends that notification too.
   */
  setStatus(
    orderId: string,
    status: { transaction_status: string; status_code?: string; fraud_status?: string; notify?: boolean },
  ): Promise<{ transaction: SimTransaction; delivery?: FirstDelivery }>;
  /** Re-sends the notification of the current state: a duplicate delivery. */
  notify(orderId: string): Promise<FirstDelivery>;
  /** A correctly signed (or, with `forged`, wrongly signed) notification of the current state, not sent. */
  webhook(orderId: string, options?: { forged?: boolean; path?: string }): RecordedNotification;
  configure(patch: Partial<SimConfig>): SimConfig;
  stats(): SimStats;
  /** Every notification delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  reset(): void;
}

/** Creates the actions. `forgedKey` is a throwaway server key made at startup that no receiver knows. */
export function createSimActions(options: {
  state: SimState;
  notifier: Notifier;
  forgedKey: string;
}): SimActions {
  const { state, notifier } = options;

  function find(orderId: string): SimTransaction {
    if (orderId === "") throw new ControlError(400, "give order_id");
    const transaction = state.transactions.find(orderId);
    if (transaction === undefined) throw new ControlError(404, "no such transaction");
    return transaction;
  }

  async function move(orderId: string, to: SimStatus) {
    const transaction = find(orderId);
    if (transaction.status !== "pending") {
      throw new ControlError(409, `transaction is ${transaction.status}`);
    }
    transaction.status = to;
    transaction.statusChangedAt = state.options.clock();
    return { transaction, delivery: await notifier.deliver(transaction) };
  }

  return {
    pay: (orderId) => move(orderId, "settlement"),
    async expire(orderId) {
      const moved = await move(orderId, "expire");
      // Expired now, not at the original deadline: reads must not re-expire it later.
      moved.transaction.expiresAt = moved.transaction.statusChangedAt;
      return moved;
    },
    async setStatus(orderId, { transaction_status, status_code, fraud_status, notify }) {
      if (!/^[a-z_]{1,40}$/.test(transaction_status))
        throw new ControlError(400, "transaction_status must be a lower-case word");
      const code = status_code ?? REPORTED_STATUS_CODES[transaction_status] ?? "200";
      if (!/^\d{3}$/.test(code)) throw new ControlError(400, "status_code must be 3 digits");
      const transaction = find(orderId);
      transaction.reported = {
        transaction_status,
        status_code: code,
        fraud_status: fraud_status ?? "accept",
      };
      return notify === true
        ? { transaction, delivery: await notifier.deliver(transaction) }
        : { transaction };
    },
    notify: (orderId) => notifier.deliver(find(orderId)),
    webhook(orderId, { forged = false, path } = {}) {
      const transaction = find(orderId);
      const target = transaction.notifyUrls?.[0] ?? state.config.notifyUrl;
      const key = forged ? options.forgedKey : state.options.serverKey;
      return {
        path: path ?? (target === undefined ? "/webhooks/va" : new URL(target).pathname),
        headers: { "Content-Type": "application/json" },
        body: notificationBody(transaction, state.options.merchantId, key),
      };
    },
    configure(patch) {
      const wasReordering = state.config.reorderCallbacks;
      state.config = { ...state.config, ...patch };
      if (wasReordering && !state.config.reorderCallbacks) void notifier.flushHeld();
      return state.config;
    },
    stats() {
      const { charges, requests, made, delivered } = state.records.counts();
      return { charges, requests, notifications: made, notificationsDelivered: delivered };
    },
    deliveries: () => state.records.attempts(),
    reset() {
      notifier.clear();
      state.reset();
    },
  };
}
