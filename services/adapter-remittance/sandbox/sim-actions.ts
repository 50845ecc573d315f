import type { KeyObject } from "node:crypto";
import { ControlError } from "@paymesh/sandbox-kit";
import type { FirstDelivery, Notifier } from "./notifier.ts";
import type { DeliveryAttempt, SimConfig, SimState, SimTransfer } from "./sim-state.ts";
import { moveTransfer } from "./transfer-moves.ts";
import { fateState, isTransferState, pathBetween } from "./transfer-states.ts";
import { changeWebhookBody, signWebhook, webhookBody } from "./webhook-event.ts";

/** How a control call names a transfer: Wise's id, or the customerTransactionId it was created with. */
export interface TransferLookup {
  transferId?: number | string | undefined;
  customerTransactionId?: string | undefined;
}

/** A webhook as `POST /sim/webhook` hands it out: what the provider would send, not sent. */
export interface RecordedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Counters behind `GET /sim/stats`. */
export interface SimStats {
  /** Transfers really created (each one a payout order; repeats of a customerTransactionId excluded). */
  charges: number;
  /** Transfers funded from the balance: money that actually left. */
  fundings: number;
  quotes: number;
  requests: Record<string, number>;
  webhooks: number;
  webhooksDelivered: number;
}

/** What a test can do to a running simulator; the control API and the handle both call these. */
export interface SimActions {
  /**
   * Moves a transfer to `to` — a Wise state, reached through the states between, or "complete":
   * where its recipient's magic account number says it ends — sending a webhook per change.
   */
  advance(
    lookup: TransferLookup,
    to: string,
  ): Promise<{ transfer: SimTransfer; deliveries: FirstDelivery[] }>;
  /** Re-sends the webhook of the transfer's latest change: a duplicate delivery. */
  notify(lookup: TransferLookup): Promise<FirstDelivery[]>;
  /** A correctly signed (or, with `forged`, wrongly signed) webhook of the transfer's current state, not sent. */
  webhook(lookup: TransferLookup, options: { path?: string; forged: boolean }): RecordedWebhook;
  /** Expires a quote now, whatever its rate lock says. */
  expireQuote(quoteId: string): void;
  configure(patch: Partial<SimConfig>): SimConfig;
  stats(): SimStats;
  /** Every webhook delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  /** The transfer a lookup names (for tests that check state directly). */
  transfer(lookup: TransferLookup): SimTransfer;
  reset(): void;
}

/** Creates the actions. `forgedKey` is a throwaway key made at startup that no receiver trusts. */
export function createSimActions(options: {
  state: SimState;
  notifier: Notifier;
  forgedKey: KeyObject;
}): SimActions {
  const { state, notifier } = options;

  function find(lookup: TransferLookup): SimTransfer {
    const byId = lookup.transferId === undefined ? undefined : state.transfers.get(Number(lookup.transferId));
    const byCustomer =
      lookup.customerTransactionId === undefined
        ? undefined
        : state.transfersByCustomerId.get(lookup.customerTransactionId);
    if (lookup.transferId === undefined && lookup.customerTransactionId === undefined) {
      throw new ControlError(400, "give transferId or customerTransactionId");
    }
    const found = byId ?? byCustomer;
    if (found === undefined || (byId !== undefined && byCustomer !== undefined && byId !== byCustomer)) {
      throw new ControlError(404, "no such transfer");
    }
    return found;
  }

  /** The webhook of the transfer's latest change, as if sent now. */
  function currentWebhookBody(transfer: SimTransfer): string {
    const now = state.options.clock();
    const last = transfer.changes[transfer.changes.length - 1];
    if (last !== undefined) return changeWebhookBody(transfer, last, now, state.subscriptionId);
    return webhookBody({
      transfer,
      state: transfer.state,
      previousState: null,
      occurredAt: transfer.createdAt,
      sentAt: now,
      subscriptionId: state.subscriptionId,
    });
  }

  return {
    async advance(lookup, to) {
      const transfer = find(lookup);
      let target = to;
      if (to === "complete") {
        if (transfer.fundedAt === undefined)
          throw new ControlError(409, `transfer ${transfer.id} is not funded`);
        target = fateState(transfer.fate);
      }
      if (!isTransferState(target)) throw new ControlError(400, `unknown state ${JSON.stringify(to)}`);
      const path = pathBetween(transfer.state, target);
      if (path === undefined) throw new ControlError(409, `cannot move from ${transfer.state} to ${target}`);
      const deliveries = await notifier.deliver(moveTransfer(state, transfer, path));
      return { transfer, deliveries };
    },
    async notify(lookup) {
      const transfer = find(lookup);
      const last = transfer.changes[transfer.changes.length - 1];
      if (last === undefined)
        throw new ControlError(409, `transfer ${transfer.id} has not changed state yet`);
      return notifier.deliver([{ transfer, change: last }]);
    },
    webhook(lookup, { path, forged }) {
      const transfer = find(lookup);
      const key = forged ? options.forgedKey : state.options.webhookPrivateKey;
      const signed = signWebhook(currentWebhookBody(transfer), key, state.options.newId());
      return { path: path ?? "/webhooks/remittance", ...signed };
    },
    expireQuote(quoteId) {
      const quote = state.quotes.get(quoteId);
      if (quote === undefined) throw new ControlError(404, "no such quote");
      quote.forcedExpired = true;
    },
    configure(patch) {
      state.config = { ...state.config, ...patch };
      return state.config;
    },
    stats() {
      const { charges, requests, made, delivered } = state.records.counts();
      return { charges, ...state.stats, requests, webhooks: made, webhooksDelivered: delivered };
    },
    deliveries: () => state.records.attempts(),
    transfer: find,
    reset: () => state.reset(),
  };
}
