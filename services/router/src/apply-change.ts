import { PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import type { PaymentChange, PaymentRecord, PaymentStore, TransitionCause } from "@paymesh/store";
import { canTransition } from "@paymesh/store";

/**
 * Applies a change to the latest version of a payment, retrying when another writer got there
 * first. A status that would move the payment backwards (a late webhook) is dropped together with
 * its failure, while the other fields (references, customer action) still apply.
 */
export async function applyChange(
  store: PaymentStore,
  id: string,
  change: PaymentChange,
  cause: TransitionCause,
): Promise<PaymentRecord> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await store.getById(id);
    if (current === undefined)
      throw new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, `payment ${id} not found`);
    let effective = change;
    if (
      change.status !== undefined &&
      (change.status === current.status || !canTransition(current.status, change.status))
    ) {
      const { status: _status, failure: _failure, ...rest } = change;
      effective = rest;
    }
    const result = await store.update(id, current.version, effective, cause);
    if (result.applied) return result.record;
  }
  throw new PaymeshError(ErrorReason.INTERNAL, `payment ${id} is changing too fast to update; retry`);
}
