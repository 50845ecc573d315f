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
  const conditions = ["caller = $1"];
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
  if (after !== undefined) where((p) => `id < ${p}`, after);
  params.push(pageSize + 1);
  return {
    text: `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments WHERE ${conditions.join(" AND ")}
      ORDER BY id DESC LIMIT $${params.length}`,
    params,
  };
}
