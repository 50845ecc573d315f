import { lockForTransaction, type SqlClient } from "@paymesh/store";

/** The partitions holding one run's lines and verdicts. */
export interface RunPartitions {
  lines: string;
  verdicts: string;
}

/** The names of run `runId`'s partitions: derived from the id alone, so safe to put in SQL. */
export function runPartitions(runId: bigint): RunPartitions {
  return { lines: `recon_lines_r${runId}`, verdicts: `recon_verdicts_r${runId}` };
}

/**
 * Creates the run's partitions of recon_lines and recon_verdicts when missing, in a short
 * transaction of its own: adding a partition locks the parent, which must not be held for the
 * length of a run. Safe from several workers at once (an advisory lock serializes the DDL).
 */
export async function ensureRunPartitions(sql: SqlClient, runId: bigint): Promise<RunPartitions> {
  const names = runPartitions(runId);
  await sql.transaction(async (tx) => {
    await lockForTransaction(tx, sql.schema, "recon-partitions");
    // Queued behind a long reader of the parent, the lock would stall every run: give up instead,
    // the run fails with the reason and its job is retried.
    await tx.query("SET LOCAL lock_timeout = '5s'");
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${names.lines} PARTITION OF recon_lines FOR VALUES IN (${runId})`,
    );
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${names.verdicts} PARTITION OF recon_verdicts FOR VALUES IN (${runId})`,
    );
  });
  return names;
}
