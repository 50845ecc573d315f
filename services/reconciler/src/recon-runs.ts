import {
  isNull,
  readBigint,
  readInt,
  readText,
  type SqlClient,
  type SqlQueryable,
  tryLockForTransaction,
} from "@paymesh/store";
import { VERDICT_CLASSES, type VerdictClass } from "./verdict-class.ts";

/** Where a run stands: never run, its last attempt completed, or its last attempt failed. */
export type RunStatus = "pending" | "completed" | "failed";

const RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>(["pending", "completed", "failed"]);

/** True when `value` names a run status (a filter from outside is checked with it). */
export function isRunStatus(value: string): value is RunStatus {
  return RUN_STATUSES.has(value);
}

/** A run as the store has it, with its verdicts counted by class. */
export interface RunSummary {
  runId: bigint;
  adapter: string;
  businessDate: string;
  status: RunStatus;
  attempts: number;
  /** Why the last attempt failed; only when status is "failed". */
  failure?: string;
  /** Lines loaded by the last completed attempt, unreadable ones included. */
  lines: number;
  /** Of those, the lines that could not be read. */
  unreadable: number;
  /** Verdicts a person must decide on. */
  discrepancies: number;
  /** Verdicts per class (every class present, 0 when none). */
  classes: Record<VerdictClass, number>;
}

/** The advisory lock a worker holds while it runs (adapter, business date) `runId`. */
export function runLockName(runId: bigint): string {
  return `recon-run:${runId}`;
}

/**
 * The run of (adapter, business date), created when missing. The unique key makes this safe from
 * any number of workers at once: all of them get the one row.
 */
export async function ensureRun(
  sql: SqlClient,
  adapter: string,
  businessDate: string,
  now: Date,
): Promise<bigint> {
  await sql.query(
    `INSERT INTO recon_runs (adapter, business_date, status, attempts, created_at)
     VALUES ($1, $2::date, 'pending', 0, $3) ON CONFLICT (adapter, business_date) DO NOTHING`,
    [adapter, businessDate, now],
  );
  const rows = await sql.query("SELECT id FROM recon_runs WHERE adapter = $1 AND business_date = $2::date", [
    adapter,
    businessDate,
  ]);
  const row = rows[0];
  if (row === undefined) throw new Error(`recon run ${adapter} ${businessDate} vanished after its insert`);
  return readBigint(row, "id");
}

/** What a completed attempt found, written with its verdicts in the same transaction. */
export interface CompletedAttempt {
  startedAt: Date;
  finishedAt: Date;
  lines: number;
  unreadable: number;
}

/** Marks the run completed by the attempt whose transaction `tx` is. */
export async function completeRun(tx: SqlQueryable, runId: bigint, attempt: CompletedAttempt): Promise<void> {
  await tx.query(
    `UPDATE recon_runs SET status = 'completed', attempts = attempts + 1, started_at = $2, finished_at = $3,
       failure = NULL, line_count = $4, unreadable_count = $5,
       discrepancy_count = (SELECT count(*) FROM recon_verdicts WHERE run_id = $1 AND discrepancy)
     WHERE id = $1`,
    [runId, attempt.startedAt, attempt.finishedAt, attempt.lines, attempt.unreadable],
  );
}

/**
 * Records why an attempt failed. Under the run's lock, and only if it is free: when another worker
 * has already taken the run over, its outcome is the one that counts. The lines and verdicts of an
 * earlier completed attempt stay as they were (the failed attempt's writes were rolled back).
 */
export async function failRun(sql: SqlClient, runId: bigint, failure: string, now: Date): Promise<void> {
  await sql.transaction(async (tx) => {
    if (!(await tryLockForTransaction(tx, sql.schema, runLockName(runId)))) return;
    await tx.query(
      `UPDATE recon_runs SET status = 'failed', attempts = attempts + 1, finished_at = $2, failure = $3
       WHERE id = $1`,
      [runId, now, failure],
    );
  });
}

/** The run of (adapter, business date), or undefined when none was ever created. */
export async function findRun(
  sql: SqlQueryable,
  adapter: string,
  businessDate: string,
): Promise<RunSummary | undefined> {
  const rows = await sql.query(
    `SELECT id, adapter, to_char(business_date, 'YYYY-MM-DD') AS business_date, status, attempts, failure,
       coalesce(line_count, 0) AS line_count, coalesce(unreadable_count, 0) AS unreadable_count,
       coalesce(discrepancy_count, 0) AS discrepancy_count
     FROM recon_runs WHERE adapter = $1 AND business_date = $2::date`,
    [adapter, businessDate],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const runId = readBigint(row, "id");
  const status = readText(row, "status");
  if (!RUN_STATUSES.has(status))
    throw new Error(`recon_runs holds an unknown status ${JSON.stringify(status)}`);
  const classes = Object.fromEntries(VERDICT_CLASSES.map((name) => [name, 0])) as Record<
    VerdictClass,
    number
  >;
  const counts = await sql.query(
    "SELECT class, count(*) AS verdicts FROM recon_verdicts WHERE run_id = $1 GROUP BY class",
    [runId],
  );
  for (const count of counts) {
    const name = readText(count, "class");
    if (!(name in classes)) throw new Error(`recon_verdicts holds an unknown class ${JSON.stringify(name)}`);
    classes[name as VerdictClass] = Number(readBigint(count, "verdicts"));
  }
  return {
    runId,
    adapter: readText(row, "adapter"),
    businessDate: readText(row, "business_date"),
    status: status as RunStatus,
    attempts: readInt(row, "attempts"),
    ...(isNull(row, "failure") ? {} : { failure: readText(row, "failure") }),
    lines: Number(readBigint(row, "line_count")),
    unreadable: Number(readBigint(row, "unreadable_count")),
    discrepancies: Number(readBigint(row, "discrepancy_count")),
    classes,
  };
}
