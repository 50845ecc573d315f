import { isTerminal, type PaymentRecord, type PaymentStore, type UpdateResult } from "@paymesh/store";

/** What a verified provider event did to its payment (paymesh_webhooks_applied_total's result). */
export type WebhookApplyResult = "applied" | "ignored" | "same_status" | "duplicate";

/** Options for {@link observePayments}. */
export interface PaymentObservers {
  /**
   * A new payment exists: its row was written and it was not refused as invalid. That is known when
   * its events are released (PaymentRecord.eventsHeld): a request the adapter refuses as invalid is
   * never a payment, so it is never counted (a retried idempotency key is not new either).
   */
  onCreated?: (record: PaymentRecord) => void;
  /** A payment entered a final status, whichever flow moved it: API answer, webhook or resolver. */
  onFinished?: (record: PaymentRecord) => void;
  /** A verified provider event reached its payment. */
  onProviderEvent?: (adapter: string, result: WebhookApplyResult) => void;
}

/**
 * The store as the router's flows use it, reporting what its writes did. Every payment write goes
 * through insert or update, so this is the one place a payment's creation and its move into a
 * final status are seen, however many flows can cause them.
 */
export function observePayments(store: PaymentStore, observers: PaymentObservers): PaymentStore {
  return {
    ...store,
    async insert(record) {
      const result = await store.insert(record);
      if (result.inserted && !result.record.eventsHeld) observers.onCreated?.(result.record);
      return result;
    },
    async update(id, expectedVersion, change, cause, event, options) {
      const result = await store.update(id, expectedVersion, change, cause, event, options);
      if (result.applied && result.record.rejectedAt === undefined) {
        if (result.previous.eventsHeld && !result.record.eventsHeld) observers.onCreated?.(result.record);
        if (!isTerminal(result.previous.status) && isTerminal(result.record.status))
          observers.onFinished?.(result.record);
      }
      if (event !== undefined) {
        const outcome = eventResult(result, event.claimedStatus);
        if (outcome !== undefined) observers.onProviderEvent?.(event.adapter, outcome);
      }
      return result;
    },
  };
}

/** The event's result; undefined for a write that lost a race and will be retried. */
function eventResult(result: UpdateResult, claimed: PaymentRecord["status"]): WebhookApplyResult | undefined {
  if (!result.applied) return result.why === "duplicate" ? "duplicate" : undefined;
  if (result.previous.status !== result.record.status) return "applied";
  return claimed === result.record.status ? "same_status" : "ignored";
}
