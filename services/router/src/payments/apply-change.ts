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
  type UpdateOptions,
} from "@paymesh/store";

/** What a step writes with its change (UpdateOptions), besides the payment. */
export type StepWrites = Pick<UpdateOptions, "exchanges" | "answer">;

/** What applyStep did: the payment as it stands, and whether the answer was saved with the change. */
export interface AppliedStep {
  record: PaymentRecord;
  answered: boolean;
}

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
  return (await applyStep(store, payment, change, cause, {}, event)).record;
}

/**
 * applyChange, writing a step's exchanges and answer with it: the common case (nobody else changed
 * the payment) is one write. The exchanges go with the first attempt, applied or not; the answer,
 * built from the payment as changed, goes with the attempt that applies.
 */
export async function applyStep(
  store: PaymentStore,
  payment: string | PaymentRecord,
  change: PaymentChange,
  cause: TransitionCause,
  writes: StepWrites,
  event?: ProviderEventKey,
): Promise<AppliedStep> {
  const id = typeof payment === "string" ? payment : payment.id;
  let current = typeof payment === "string" ? await store.getById(id) : payment;
  let exchanges = writes.exchanges;
  for (let attempt = 0; attempt < 10; attempt++) {
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
    const result = await store.update(id, current.version, effective, cause, event, {
      current,
      ...(exchanges === undefined ? {} : { exchanges }),
      ...(writes.answer === undefined ? {} : { answer: writes.answer }),
    });
    exchanges = undefined;
    if (result.applied) return { record: result.record, answered: writes.answer !== undefined };
    if (result.why === "duplicate") return { record: result.record, answered: false };
    // The store answers a refused write with the payment as it now stands.
    current = result.record;
  }
  throw new PaymeshError(ErrorReason.INTERNAL, `payment ${id} is changing too fast to update; retry`);
}
