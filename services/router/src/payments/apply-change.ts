import { PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import {
  canTransition,
  isTerminal,
  type PaymentChange,
  type PaymentRecord,
  type PaymentStore,
  type ProviderEventKey,
  type TransitionCause,
} from "@paymesh/store";

/**
 * Applies a change to the latest version of a payment, retrying when another writer got there
 * first. A status that would move the payment backwards (a late webhook) is dropped together with
 * its failure, while the other fields (references, customer action) still apply. Given the record
 * the caller already holds, the first attempt needs no read.
 *
 * Given the provider event the change comes from, the store records the event with the change, and
 * a copy of an event already recorded changes nothing: the payment is returned as it stands.
 */
export async function applyChange(
  store: PaymentStore,
  payment: string | PaymentRecord,
  change: PaymentChange,
  cause: TransitionCause,
  event?: ProviderEventKey,
): Promise<PaymentRecord> {
  const id = typeof payment === "string" ? payment : payment.id;
  let current = typeof payment === "string" ? undefined : payment;
  for (let attempt = 0; attempt < 10; attempt++) {
    current ??= await store.getById(id);
    if (current === undefined)
      throw new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, `payment ${id} not found`);
    let effective = change;
    if (
      change.status !== undefined &&
      (change.status === current.status ||
        !canTransition(current.status, change.status, change.failure?.reason))
    ) {
      const { status: _status, failure: _failure, ...rest } = change;
      effective = rest;
    }
    if (isTerminal(current.status) && effective.status === undefined) {
      // A finished payment owes nothing more: a late "unknown outcome" or resolver schedule from a
      // call that lost the race must not flag it.
      const { outcomeUnknown, resolution, ...rest } = effective;
      effective = {
        ...rest,
        ...(outcomeUnknown === false ? { outcomeUnknown } : {}),
        ...("resolution" in effective && resolution === undefined ? { resolution: undefined } : {}),
      };
    }
    const result = await store.update(id, current.version, effective, cause, event);
    if (result.applied || result.why === "duplicate") return result.record;
    current = result.why === "stale" ? undefined : result.record;
  }
  throw new PaymeshError(ErrorReason.INTERNAL, `payment ${id} is changing too fast to update; retry`);
}
