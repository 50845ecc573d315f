import { migrate, type SqlClient, tryLockForTransaction } from "@paymesh/store";
import type { FeeSchedule } from "./fee-schedule.ts";
import { feeScheduleParams } from "./fee-schedule.ts";
import { checkLine, isBusinessDate } from "./line-check.ts";
import { LINE_COLUMNS, lineCsv } from "./line-csv.ts";
import { isReconError, ReconError } from "./recon-error.ts";
import { businessDay, judgeRun } from "./recon-matching.ts";
import { completeRun, ensureRun, failRun, findRun, type RunSummary, runLockName } from "./recon-runs.ts";
import { type RecordResolution, type Resolution, recordResolution } from "./resolution-trail.ts";
import { ensureRunPartitions } from "./run-partitions.ts";
import type { SettlementReport } from "./settlement-line.ts";

/** What an adapter declares about how its provider settles. */
export interface SettlementTerms {
  /**
   * The provider's cut-off time zone: a business day runs from midnight to midnight there.
   * @default "Asia/Jakarta" (00:00 WIB, the Indonesian acquirers' cut-off)
   */
  timeZone?: string;
  /**
   * How long after its business day ends the provider's report has settled every payment of it
   * (T+1: one day). Until then a SUCCEEDED payment with no line is expected, not a discrepancy.
   */
  settlementLagMs: number;
  /**
   * How far our clock and the provider's may put a payment on either side of midnight: a payment
   * that succeeded this close to a boundary counts as settled by the neighbouring day's report.
   * @default 900000 (15 minutes)
   */
  cutoffSkewMs?: number;
  /** What the provider may charge per payment; lines in currencies it omits are not fee-checked. @default [] */
  fees?: FeeSchedule;
}

/** One run of the engine: an adapter's report for one business date. */
export interface RunRequest {
  adapter: string;
  /** "YYYY-MM-DD", in the adapter's cut-off time zone. */
  businessDate: string;
  report: SettlementReport;
  terms: SettlementTerms;
  /**
   * Told how far the run has got (for a progress display): after every few hundred lines read,
   * once all are read, and when matching starts. Called synchronously; keep it cheap.
   */
  onProgress?: (progress: RunProgress) => void;
  /** Aborting stops the run; like any failure midway, it leaves nothing of this attempt behind. */
  signal?: AbortSignal;
}

/** How far a run has got: what {@link RunRequest.onProgress} hears. */
export interface RunProgress {
  /** "loading" while the report is read into the store; "matching" once every line is in. */
  phase: "loading" | "matching";
  /** Lines read so far, batch totals and unreadable lines included. */
  linesRead: number;
  /** How many lines the report says it holds, once it has said so (SettlementReport.expectedLines). */
  expectedLines?: number;
}

/** Options for createReconciler. */
export interface ReconcilerOptions {
  /** The store's database (Postgres or PGlite), migrated on creation. The caller closes it. */
  sql: SqlClient;
  /** Decides whether the settlement lag has passed, and stamps runs. @default () => new Date() */
  clock?: () => Date;
}

/** The reconciliation engine over one database. */
export interface Reconciler {
  /**
   * Loads the report and judges every line and every payment of the day, in one transaction:
   * the run's previous lines and verdicts (its own partitions) are replaced whole, so running it again gives the same
   * verdicts and a run that dies midway leaves the previous state untouched. Throws ReconError
   * RUN_IN_PROGRESS when another worker holds this run, REPORT_REJECTED for another adapter's or
   * another day's report (recorded on the run as its failure).
   */
  run(request: RunRequest): Promise<RunSummary>;
  /** The run of (adapter, business date) with its verdict counts; undefined if never created. */
  find(adapter: string, businessDate: string): Promise<RunSummary | undefined>;
  /** Appends a decision about one verdict to the resolution trail (never edited, never deleted). */
  resolve(resolution: RecordResolution): Promise<Resolution>;
}

const DEFAULT_TIME_ZONE = "Asia/Jakarta";
const DEFAULT_CUTOFF_SKEW_MS = 15 * 60 * 1000;
// Rows per piece handed to COPY: large enough that per-write overhead vanishes, small enough
// that memory does not depend on the report's size.
const ROWS_PER_PIECE = 500;

/** Creates the engine; migrates the store's schema first (idempotent, safe from many processes). */
export async function createReconciler(options: ReconcilerOptions): Promise<Reconciler> {
  const { sql } = options;
  const clock = options.clock ?? (() => new Date());
  await migrate(sql);

  async function run(request: RunRequest): Promise<RunSummary> {
    const terms = checkRequest(request);
    const runId = await ensureRun(sql, request.adapter, request.businessDate, clock());
    try {
      const partitions = await ensureRunPartitions(sql, runId);
      await sql.transaction(async (tx) => {
        if (!(await tryLockForTransaction(tx, sql.schema, runLockName(runId)))) {
          throw new ReconError(
            "RUN_IN_PROGRESS",
            `the run of ${request.adapter} for ${request.businessDate} is in progress elsewhere`,
          );
        }
        const startedAt = clock();
        checkReportIdentity(request);
        // Transactional like the rest: a run that dies from here on gets the old rows back.
        await tx.query(`TRUNCATE ${partitions.lines}, ${partitions.verdicts}`);
        const counts = { lines: 0, unreadable: 0, thisDay: 0, otherDay: 0 };
        const csv = reportCsv(runId, request, counts);
        await tx.copyFrom(`${partitions.lines} (${LINE_COLUMNS.join(", ")})`, csv);
        if (counts.thisDay === 0 && counts.otherDay > 0) {
          throw new ReconError(
            "REPORT_REJECTED",
            `no line of the report is for ${request.businessDate}: ${counts.otherDay} lines are for other days`,
          );
        }
        report(request, "matching", counts.lines);
        const day = await businessDay(tx, request.businessDate, terms.timeZone);
        const now = clock();
        await judgeRun(tx, {
          runId,
          partitions,
          adapter: request.adapter,
          businessDate: request.businessDate,
          ...day,
          cutoffSkewMs: terms.cutoffSkewMs,
          expectedUntil: new Date(day.end.getTime() + terms.cutoffSkewMs + terms.settlementLagMs),
          now,
          fees: terms.fees,
        });
        await completeRun(tx, runId, {
          startedAt,
          finishedAt: clock(),
          lines: counts.lines,
          unreadable: counts.unreadable,
        });
      });
    } catch (error) {
      if (isReconError(error) && error.code === "RUN_IN_PROGRESS") throw error;
      const failure = isReconError(error) ? error.message : `interrupted: ${messageOf(error)}`;
      // Best effort: the error that stopped the run matters more than a failure to record it.
      await failRun(sql, runId, failure, clock()).catch(() => {});
      throw error;
    }
    const summary = await findRun(sql, request.adapter, request.businessDate);
    if (summary === undefined) throw new Error(`recon run ${runId} vanished`);
    return summary;
  }

  return {
    run,
    find: (adapter, businessDate) => findRun(sql, adapter, businessDate),
    resolve: (resolution) => recordResolution(sql, resolution, clock()),
  };
}

/** The report's own identity must be the run's; checked before a line is read. */
function checkReportIdentity(request: RunRequest): void {
  const { report } = request;
  if (report.adapter !== request.adapter) {
    throw new ReconError(
      "REPORT_REJECTED",
      `the report is from adapter ${JSON.stringify(report.adapter)}, not ${JSON.stringify(request.adapter)}`,
    );
  }
  if (report.businessDate !== request.businessDate) {
    throw new ReconError(
      "REPORT_REJECTED",
      `the report is for ${JSON.stringify(report.businessDate)}, not ${request.businessDate}`,
    );
  }
}

/** The report as COPY input: each line checked, numbered from 1, and counted into `counts`. */
async function* reportCsv(
  runId: bigint,
  request: RunRequest,
  counts: { lines: number; unreadable: number; thisDay: number; otherDay: number },
): AsyncGenerator<string> {
  let rows: string[] = [];
  for await (const raw of request.report.lines) {
    request.signal?.throwIfAborted();
    const { line, otherDay } = checkLine(raw, request.businessDate);
    counts.lines += 1;
    if (line.kind === "unreadable") counts.unreadable += 1;
    else counts.thisDay += 1;
    if (otherDay) counts.otherDay += 1;
    rows.push(lineCsv(runId, counts.lines, line));
    if (rows.length === ROWS_PER_PIECE) {
      yield rows.join("");
      rows = [];
      report(request, "loading", counts.lines);
    }
  }
  request.signal?.throwIfAborted();
  if (rows.length > 0) yield rows.join("");
  report(request, "loading", counts.lines);
}

/** Tells the request's progress listener where the run is. */
function report(request: RunRequest, phase: RunProgress["phase"], linesRead: number): void {
  if (request.onProgress === undefined) return;
  const expectedLines = request.report.expectedLines?.();
  request.onProgress({ phase, linesRead, ...(expectedLines === undefined ? {} : { expectedLines }) });
}

/** Arguments that cannot be right fail before anything is written, as INVALID_REQUEST. */
function checkRequest(request: RunRequest): Required<SettlementTerms> {
  const invalid = (message: string) => new ReconError("INVALID_REQUEST", message);
  if (request.adapter === "") throw invalid("adapter: is required");
  if (!isBusinessDate(request.businessDate))
    throw invalid(`businessDate: ${JSON.stringify(request.businessDate)} is not a YYYY-MM-DD date`);
  const { terms } = request;
  const timeZone = terms.timeZone ?? DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw invalid(`terms.timeZone: ${JSON.stringify(timeZone)} is not a time zone`);
  }
  const cutoffSkewMs = terms.cutoffSkewMs ?? DEFAULT_CUTOFF_SKEW_MS;
  for (const [name, value] of [
    ["settlementLagMs", terms.settlementLagMs],
    ["cutoffSkewMs", cutoffSkewMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(`terms.${name}: ${value} is not a duration`);
  }
  const fees = terms.fees ?? [];
  try {
    feeScheduleParams(fees);
  } catch (error) {
    throw invalid(`terms.fees: ${messageOf(error)}`);
  }
  return { timeZone, settlementLagMs: terms.settlementLagMs, cutoffSkewMs, fees };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
