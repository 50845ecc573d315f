import { ErrorReason, PaymentStatus } from "@paymesh/proto";

const TERMINAL = new Set([
  PaymentStatus.SUCCEEDED,
  PaymentStatus.FAILED,
  PaymentStatus.CANCELED,
  PaymentStatus.EXPIRED,
]);

/** Order of progress; a transition may only move forward (docs/architecture.md §4). */
const RANK: Readonly<Record<PaymentStatus, number>> = {
  [PaymentStatus.UNSPECIFIED]: -1,
  [PaymentStatus.PENDING]: 0,
  [PaymentStatus.REQUIRES_ACTION]: 1,
  [PaymentStatus.PROCESSING]: 2,
  [PaymentStatus.SUCCEEDED]: 3,
  [PaymentStatus.FAILED]: 3,
  [PaymentStatus.CANCELED]: 3,
  [PaymentStatus.EXPIRED]: 3,
};

/** Terminal states are final: no event, poll or operator moves a payment out of one (see canTransition for the one returned-money exception). */
export function isTerminal(status: PaymentStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * Whether a payment may move from one status to another. Late and out-of-order provider events
 * are common (a "pending" webhook arriving after "settlement"); they must never move a payment
 * backwards, so anything not strictly forward is refused. The one exception is money coming back
 * after it was sent (a remittance bounced back after "outgoing_payment_sent"): SUCCEEDED may end
 * FAILED, and only with the reason PAYMENT_RETURNED, so a stray failure can never undo a success.
 */
export function canTransition(from: PaymentStatus, to: PaymentStatus, failureReason?: ErrorReason): boolean {
  if (from === PaymentStatus.SUCCEEDED && to === PaymentStatus.FAILED) {
    return failureReason === ErrorReason.PAYMENT_RETURNED;
  }
  if (to === PaymentStatus.UNSPECIFIED || isTerminal(from)) return false;
  return RANK[to] > RANK[from];
}
