import { type ChangeEvents, changeEvents } from "./payment-events.ts";
import type { PaymentRecord } from "./payment-record.ts";
import { canTransition } from "./payment-state.ts";
import type { PaymentChange } from "./payment-store.ts";
import { dropSpentMethod } from "./sealed-method.ts";

/** What a change does to a payment at its current version; both stores follow it. */
export type ChangePlan =
  | { backwards: true }
  | { backwards: false; next: PaymentRecord; events: ChangeEvents };

/**
 * The payment after `change`, applied at `now` to `current`: refused when its status would move
 * the payment backwards (payment-state.ts). A field the change names as undefined is cleared, a
 * field it leaves out is kept; leaving PENDING erases the sealed method, and the events' hold
 * follows changeEvents.
 */
export function planChange(current: PaymentRecord, change: PaymentChange, now: Date): ChangePlan {
  if (
    change.status !== undefined &&
    change.status !== current.status &&
    !canTransition(current.status, change.status, change.failure?.reason)
  ) {
    return { backwards: true };
  }
  const changed = dropSpentMethod({ ...current, ...change, updatedAt: now, version: current.version + 1 });
  const events = changeEvents(current, change, changed);
  return { backwards: false, next: { ...changed, eventsHeld: events.held || undefined }, events };
}
