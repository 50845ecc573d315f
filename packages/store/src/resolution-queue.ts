import type { PaymentRecord } from "./payment-record.ts";
import { isTerminal } from "./payment-state.ts";

// What the status resolver's queue and the unresolved list mean, for the memory store. The SQL
// store says the same in payment-list-query.ts; the contract suite holds both to it.

/** A dueForResolution limit: a whole number, 0 or more (Postgres refuses a negative LIMIT). */
export function checkResolutionLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`dueForResolution: limit must be a non-negative integer, got ${limit}`);
  }
}

/** The resolver owes this payment a check by `now`: scheduled, due, not terminal, not under review. */
export function isDueForResolution(record: PaymentRecord, now: Date): boolean {
  return (
    record.resolution !== undefined &&
    record.resolution.nextCheckAt.getTime() <= now.getTime() &&
    record.review === undefined &&
    !isTerminal(record.status)
  );
}

/** The resolver's order: oldest check first, then id (byte order, as COLLATE "C" sorts). */
export function byNextCheck(a: PaymentRecord, b: PaymentRecord): number {
  const at = (record: PaymentRecord) => record.resolution?.nextCheckAt.getTime() ?? Number.POSITIVE_INFINITY;
  return at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Waiting on the resolver or a person: a check is owed and the payment can still move, or under review. */
export function isAwaitingResolution(record: PaymentRecord): boolean {
  return (
    record.rejectedAt === undefined &&
    (record.review !== undefined || (record.resolution !== undefined && !isTerminal(record.status)))
  );
}

/** Waiting on something: an unknown outcome, or raised for review (PaymentFilter.unresolvedOnly). */
export function isUnresolved(record: PaymentRecord): boolean {
  return record.outcomeUnknown || record.review !== undefined;
}
