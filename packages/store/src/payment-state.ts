import { PaymentStatus } from "@paymesh/proto";

const TERMINAL = new Set([
  PaymentStatus.SUCCEEDED,
  PaymentStatus.FAILED,
  PaymentStatus.CANCELED,
  PaymentStatus.EXPIRED,
]);

/** Order of progress; a transition may only move forward (DESIGN.md §4). */
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

/** Terminal states are final: no event, poll or operator moves a payment out of one. */
export function isTerminal(status: PaymentStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * Whether a payment may move from one status to another. Late and out-of-order provider events
 * are common (a "pending" webhook arriving after "settlement"); they must never move a payment
 * backwards, so anything not strictly forward is refused.
 */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  if (to === PaymentStatus.UNSPECIFIED || isTerminal(from)) return false;
  return RANK[to] > RANK[from];
}
