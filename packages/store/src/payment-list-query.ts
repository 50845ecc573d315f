import { methodTypes, statuses } from "./enum-names.ts";
import type { PaymentFilter } from "./payment-store.ts";
import { PAYMENT_COLUMNS } from "./row-mapping.ts";
import type { SqlValue } from "./sql-client.ts";

/**
 * The statement behind PaymentStore.list: newest first by id (ids start with their creation time),
 * keyset-paged by the last id seen so pages stay stable while payments are being added, and one
 * row more than the page so the store knows whether another page exists without counting.
 */
export function paymentListQuery(
  caller: string,
  filter: PaymentFilter,
  pageSize: number,
  after: string | undefined,
): { text: string; params: SqlValue[] } {
  const params: SqlValue[] = [caller];
  const conditions = ["caller = $1", "rejected_at IS NULL"];
  const where = (condition: (placeholder: string) => string, value: SqlValue) => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.statuses.length > 0)
    where((p) => `status = ANY(${p}::text[])`, filter.statuses.map(statuses.name));
  if (filter.methods.length > 0)
    where((p) => `method_type = ANY(${p}::text[])`, filter.methods.map(methodTypes.name));
  if (filter.createdAfter !== undefined) where((p) => `created_at >= ${p}`, filter.createdAfter);
  if (filter.createdBefore !== undefined) where((p) => `created_at < ${p}`, filter.createdBefore);
  // The predicate of the partial index payments_caller_unresolved (migration 2), so it can serve this.
  if (filter.unresolvedOnly === true) conditions.push("(outcome_unknown OR review_reason IS NOT NULL)");
  if (after !== undefined) where((p) => `id < ${p}`, after);
  params.push(pageSize + 1);
  return {
    text: `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments WHERE ${conditions.join(" AND ")}
      ORDER BY id DESC LIMIT $${params.length}`,
    params,
  };
}

/**
 * The statement behind PaymentStore.listUnresolved; the conditions repeat the predicate of the
 * partial index payments_awaiting_resolution (migration 4).
 */
export function unresolvedQuery(limit: number): { text: string; params: SqlValue[] } {
  return {
    text: `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments
      WHERE rejected_at IS NULL AND (review_reason IS NOT NULL OR (resolution_next_check_at IS NOT NULL
        AND status NOT IN ${TERMINAL_STATUSES_SQL}))
      ORDER BY id DESC LIMIT $1`,
    params: [limit],
  };
}

/**
 * The statuses isTerminal() holds final, as an SQL list. Written out rather than derived: the
 * partial index payments_resolution_due (migration 2) names the same statuses, and the planner
 * uses that index only for a query whose conditions imply its predicate. resolution-schema.test.ts
 * checks the list against isTerminal and the plan against the index.
 */
export const TERMINAL_STATUSES_SQL = "('SUCCEEDED', 'FAILED', 'CANCELED', 'EXPIRED')";

/**
 * The statement behind PaymentStore.dueForResolution: every caller's payments whose check is due,
 * not terminal and not under review, oldest check first (id breaks ties, so a limit cuts the
 * queue at the same place every time). The conditions repeat the predicate of the partial index
 * payments_resolution_due, which holds exactly the resolver's queue in this order.
 */
export function dueForResolutionQuery(now: Date, limit: number): { text: string; params: SqlValue[] } {
  return {
    text: `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments
      WHERE resolution_next_check_at IS NOT NULL AND review_reason IS NULL
        AND status NOT IN ${TERMINAL_STATUSES_SQL}
        AND resolution_next_check_at <= $1
      ORDER BY resolution_next_check_at, id LIMIT $2`,
    params: [now, limit],
  };
}
