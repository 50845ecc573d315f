import { isTerminal, type PaymentStore } from "@paymesh/store";
import { applyChange } from "../payments/apply-change.ts";
import { findAdapterPayment } from "./apply-webhook-event.ts";

/**
 * A webhook that failed verification yet names a payment of this adapter: its body is not believed,
 * but the claim is a reason to ask the provider now. Schedules the status resolver for that payment
 * (unless it is finished, under review or already due); returns whether it did.
 */
export async function checkUnverifiedClaim(
  store: PaymentStore,
  claim: { adapter: string; paymentId: string; providerReference: string },
  clock: () => Date = () => new Date(),
): Promise<boolean> {
  const record = await findAdapterPayment(store, claim.adapter, claim.paymentId, claim.providerReference);
  const now = clock();
  if (record === undefined || isTerminal(record.status) || record.review !== undefined) return false;
  if (record.resolution !== undefined && record.resolution.nextCheckAt <= now) return false;
  const attempts = record.resolution?.attempts ?? 0;
  await applyChange(store, record, { resolution: { nextCheckAt: now, attempts } }, "webhook");
  return true;
}
