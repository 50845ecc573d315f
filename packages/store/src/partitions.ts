import { lockForTransaction, type SqlClient } from "./sql-client.ts";

/** The append-only tables, partitioned by month so old months can be detached and archived whole. */
export const PARTITIONED_TABLES = ["payment_journal", "provider_exchanges"] as const;

/** One of PARTITIONED_TABLES. */
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Options for ensurePartitions. */
export interface EnsurePartitionsOptions {
  /**
   * Months created ahead of the current one, so that a router which is not restarted (and whose
   * timer is late) still finds next month's partition at midnight on the 1st.
   * @default 3
   */
  monthsAhead?: number;
}

/** The first instant (UTC) of the month `offset` months after the one holding `instant`. */
export function monthStart(instant: Date, offset = 0): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + offset, 1));
}

/** The partition of `table` holding `month`, e.g. payment_journal_y2026m11. */
export function partitionName(table: PartitionedTable, month: Date): string {
  const start = monthStart(month);
  const year = String(start.getUTCFullYear()).padStart(4, "0");
  const monthNumber = String(start.getUTCMonth() + 1).padStart(2, "0");
  return `${table}_y${year}m${monthNumber}`;
}

/**
 * Creates the month partitions around `now` that are missing: the previous month (rows stamped by
 * a clock slightly behind), the current one and `monthsAhead` more. Idempotent and safe to run from
 * several processes at once. Returns the names of all partitions it ensured.
 */
export async function ensurePartitions(
  sql: SqlClient,
  now: Date,
  options: EnsurePartitionsOptions = {},
): Promise<string[]> {
  const monthsAhead = options.monthsAhead ?? 3;
  const months: Date[] = [];
  for (let offset = -1; offset <= monthsAhead; offset++) months.push(monthStart(now, offset));
  return createMonthPartitions(sql, months);
}

/** Creates the partitions of every partitioned table for these months, if missing, in one transaction. */
export async function createMonthPartitions(sql: SqlClient, months: readonly Date[]): Promise<string[]> {
  return sql.transaction(async (tx) => {
    // CREATE TABLE IF NOT EXISTS still races on the catalog's unique index; the lock serializes it.
    await lockForTransaction(tx, sql.schema, "partitions");
    // A new partition locks its parent exclusively; queued behind a long reader, that lock would
    // stall every journal write. Better to give up and let the next run (months early) retry.
    await tx.query("SET LOCAL lock_timeout = '5s'");
    const names: string[] = [];
    for (const month of months) {
      const from = monthStart(month).toISOString();
      const to = monthStart(month, 1).toISOString();
      for (const table of PARTITIONED_TABLES) {
        const name = partitionName(table, month);
        // DDL takes no parameters; both bounds are ISO strings this function formatted itself.
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${from}') TO ('${to}')`,
        );
        names.push(name);
      }
    }
    return names;
  });
}
