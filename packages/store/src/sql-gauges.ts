import { TERMINAL_STATUSES_SQL } from "./payment-list-query.ts";
import type { StoreGauges } from "./payment-store.ts";
import { readInt, readOptionalDate } from "./row-values.ts";
import type { SqlClient } from "./sql-client.ts";

// The resolver's backlog repeats the predicate of the partial index payments_resolution_due, the
// reviews fall inside payments_awaiting_resolution, and the oldest unpublished event is the first
// entry of payment_outbox_unpublished: each part reads an index, never the whole table.
const BACKLOG = `FROM payments WHERE resolution_next_check_at IS NOT NULL AND review_reason IS NULL
  AND status NOT IN ${TERMINAL_STATUSES_SQL}`;
const GAUGES = `SELECT
  (SELECT count(*)::int ${BACKLOG}) AS backlog,
  (SELECT min(created_at) ${BACKLOG}) AS oldest_unresolved,
  (SELECT count(*)::int FROM payments WHERE rejected_at IS NULL AND review_reason IS NOT NULL) AS in_review,
  (SELECT created_at FROM payment_outbox WHERE published_at IS NULL ORDER BY seq LIMIT 1) AS oldest_unpublished`;

/** PaymentStore.gauges for the SQL store, in one round trip. */
export async function readStoreGauges(sql: SqlClient): Promise<StoreGauges> {
  const row = (await sql.query(GAUGES))[0];
  if (row === undefined) throw new Error("the gauges query returned no row");
  return {
    resolverBacklog: readInt(row, "backlog"),
    oldestUnresolvedAt: readOptionalDate(row, "oldest_unresolved"),
    inReview: readInt(row, "in_review"),
    oldestUnpublishedAt: readOptionalDate(row, "oldest_unpublished"),
  };
}
