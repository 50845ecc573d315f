import type { adapterv1 } from "@paymesh/proto";
import type { PaymentRecord, PaymentStore } from "@paymesh/store";
import { applyChange } from "../payments/apply-change.ts";
import { providerAnswerChange } from "../payments/provider-answer.ts";

/**
 * Applies a verified provider event to the payment it names, if this adapter has it; returns the
 * payment as it stands after (unchanged for a copy of an event already recorded), or undefined
 * when no payment of this adapter matches. The event is recorded by id with the change, so a
 * redelivery, however concurrent, changes nothing twice; a status that would move the payment
 * backwards is recorded and not applied.
 */
export async function applyWebhookEvent(
  store: PaymentStore,
  adapter: string,
  event: adapterv1.WebhookEvent,
  clock: () => Date = () => new Date(),
): Promise<PaymentRecord | undefined> {
  const record = await findAdapterPayment(store, adapter, event.paymentId, event.providerReference);
  if (record === undefined) return undefined;
  const key = { adapter, eventId: event.eventId, claimedStatus: event.status };
  const reported = event.amount;
  if (
    reported !== undefined &&
    reported.currency === record.amount.currency &&
    reported.minorUnits !== record.amount.minorUnits
  ) {
    // Never settle a payment for an amount it was not created with: a person decides.
    const reason = `${adapter} reported ${reported.minorUnits} ${reported.currency} minor units for a payment of ${record.amount.minorUnits}`;
    return applyChange(store, record, { review: { reason, since: clock() } }, "webhook", key);
  }
  // The event changes the payment as any provider answer does; its resolver schedule stays as it is.
  const change = providerAnswerChange(record, event, undefined, clock());
  return applyChange(store, record, change, "webhook", key);
}

/** The payment an adapter's event or claim names, by our id or else its reference; undefined if not this adapter's. */
export async function findAdapterPayment(
  store: PaymentStore,
  adapter: string,
  paymentId: string,
  providerReference: string,
): Promise<PaymentRecord | undefined> {
  const record =
    paymentId !== ""
      ? await store.getById(paymentId)
      : await store.findByProviderReference(adapter, providerReference);
  return record === undefined || record.adapter !== adapter ? undefined : record;
}
