import {
  isNull,
  readBigint,
  readDate,
  readInt,
  readOptionalDate,
  readText,
  type SqlClient,
  type SqlRow,
  type SqlValue,
} from "@paymesh/store";
import { isBusinessDate } from "./line-check.ts";
import { ReconError } from "./recon-error.ts";
import { isRunStatus, type RunStatus } from "./recon-runs.ts";
import { type Resolution, type ResolutionAction, recordResolution } from "./resolution-trail.ts";
import { isVerdictClass, VERDICT_CLASSES, type VerdictClass } from "./verdict-class.ts";
import { parseVerdictId, type VerdictKey, verdictId } from "./verdict-id.ts";

/**
 * Which runs `runs()` lists; every field narrows. Fields come from outside (a query string, a
 * request message) and are checked here, once for every front: a bad one is INVALID_REQUEST naming it.
 */
export interface RunFilter {
  adapter?: string;
  /** pending, completed or failed. */
  status?: string;
  /** Business dates from and to, inclusive ("YYYY-MM-DD"). */
  from?: string;
  to?: string;
  /** 1..MAX_LIMIT. @default DEFAULT_LIMIT */
  limit?: number;
}

/** A page's size when none is asked for, and the most one page holds. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** One run as the ledger lists it. */
export interface RunRow {
  runId: bigint;
  adapter: string;
  businessDate: string;
  status: RunStatus;
  attempts: number;
  failure?: string;
  lines: number;
  unreadable: number;
  discrepancies: number;
  /** Discrepancies nobody has resolved yet (as they are classed now). */
  open: number;
  createdAt: Date;
  finishedAt?: Date;
}

/** The money in one verdict class, per currency: what we recorded and what the provider reported. */
export interface ClassAmount {
  /** null for verdicts with no currency (an unreadable line). */
  currency: string | null;
  ourMinor: bigint;
  theirMinor: bigint;
}

/** One verdict class of a run: how many, how many still open, and the amounts involved. */
export interface ClassTotal {
  class: VerdictClass;
  verdicts: number;
  discrepancies: number;
  open: number;
  amounts: ClassAmount[];
}

/** A run with its totals per verdict class (every class, in VERDICT_CLASSES order). */
export interface RunDetail extends RunRow {
  classes: ClassTotal[];
}

/** Which discrepancies `discrepancies()` lists; every field narrows, checked like RunFilter's. */
export interface DiscrepancyFilter {
  run?: bigint;
  adapter?: string;
  /** The business date, "YYYY-MM-DD". */
  date?: string;
  /** A verdict class other than matched. */
  class?: string;
  /** open: nobody has decided yet; resolved: a resolution of its current class is in the trail. */
  status?: string;
  /** 1..MAX_LIMIT. @default DEFAULT_LIMIT */
  limit?: number;
  /** The id of the last discrepancy of the previous page. */
  after?: string;
}

/** A verdict, with what its line said and, once decided, the decision. */
export interface VerdictRow {
  /** The verdict's id for `resolve` (verdict-id.ts). */
  id: string;
  runId: bigint;
  adapter: string;
  businessDate: string;
  lineNo?: number;
  paymentId?: string;
  class: VerdictClass;
  discrepancy: boolean;
  /** payment, refund, …; batch_total or unreadable for those lines; absent for an unsettled payment. */
  type?: string;
  providerReference?: string;
  currency?: string;
  ourAmountMinor?: bigint;
  theirAmountMinor?: bigint;
  detail?: string;
  resolution?: Pick<Resolution, "seq" | "action" | "actor" | "note" | "at">;
}

/** A decision to record about one discrepancy, named by its id (verdict-id.ts). */
export interface ResolveRequest {
  id: string;
  action: ResolutionAction;
  actor: string;
  note: string;
}

/**
 * What the people who decide read and write: runs, their totals per class, discrepancies across
 * runs, a run's verdicts for export, and decisions appended to the trail. One module owns this SQL,
 * so the router's admin API (and any other front) never writes its own queries about recon tables.
 */
export interface ReconLedger {
  runs(filter: RunFilter): Promise<RunRow[]>;
  run(runId: bigint): Promise<RunDetail | undefined>;
  discrepancies(filter: DiscrepancyFilter): Promise<VerdictRow[]>;
  /** Every verdict of a run in line order (unsettled payments last), read a page at a time. */
  verdicts(runId: bigint): AsyncGenerator<VerdictRow>;
  resolve(request: ResolveRequest): Promise<Resolution>;
}

// A verdict is resolved when the trail has a decision about it in the class it has now.
const RESOLUTION_OF = `(SELECT res.seq, res.action, res.actor, res.note, res.at FROM recon_resolutions res
  WHERE res.run_id = v.run_id AND res.class = v.class AND res.line_no IS NOT DISTINCT FROM v.line_no
    AND (v.line_no IS NOT NULL OR res.payment_id = v.payment_id)
  ORDER BY res.seq LIMIT 1)`;

// Where a verdict sorts inside its run: lines by number, then unsettled payments by id. A line's
// verdict may name the payment it found too; only a payment verdict sorts by it.
const VERDICT_ORDER =
  "(coalesce(v.line_no, 2147483647), CASE WHEN v.line_no IS NULL THEN v.payment_id ELSE '' END)";

const RUN_COLUMNS = `r.id, r.adapter, to_char(r.business_date, 'YYYY-MM-DD') AS business_date, r.status,
  r.attempts, r.failure, coalesce(r.line_count, 0) AS line_count, coalesce(r.unreadable_count, 0) AS unreadable_count,
  coalesce(r.discrepancy_count, 0) AS discrepancy_count, r.created_at, r.finished_at,
  (SELECT count(*) FROM recon_verdicts v WHERE v.run_id = r.id AND v.discrepancy
     AND NOT EXISTS ${RESOLUTION_OF}) AS open_count`;

const VERDICT_SELECT = `SELECT v.run_id, r.adapter, to_char(r.business_date, 'YYYY-MM-DD') AS business_date,
  v.line_no, v.payment_id, v.class, v.discrepancy, coalesce(l.type, l.kind) AS type, l.provider_reference,
  coalesce(l.currency, p.currency) AS currency, v.our_amount_minor, v.their_amount_minor, v.detail,
  d.seq, d.action, d.actor, d.note, d.at
FROM recon_verdicts v
JOIN recon_runs r ON r.id = v.run_id
LEFT JOIN recon_lines l ON l.run_id = v.run_id AND l.line_no = v.line_no
LEFT JOIN payments p ON v.line_no IS NULL AND p.id = v.payment_id
LEFT JOIN LATERAL ${RESOLUTION_OF} d ON true`;

/** Options for createReconLedger. */
export interface ReconLedgerOptions {
  /** The store's database (Postgres or PGlite), migrated by whoever opened it. */
  sql: SqlClient;
  /** Stamps resolutions. @default () => new Date() */
  clock?: () => Date;
  /** Verdicts read per query by `verdicts()`: memory stays bounded by a page, not the run. @default 5000 */
  exportPageSize?: number;
}

/** The ledger over the store's database. */
export function createReconLedger(options: ReconLedgerOptions): ReconLedger {
  const { sql } = options;
  const clock = options.clock ?? (() => new Date());
  const pageSize = options.exportPageSize ?? 5_000;

  async function runs(filter: RunFilter): Promise<RunRow[]> {
    const where = new Conditions();
    if (filter.adapter !== undefined) where.add("r.adapter = $?", filter.adapter);
    if (filter.status !== undefined) {
      if (!isRunStatus(filter.status))
        throw invalid("status", `${JSON.stringify(filter.status)} is not pending, completed or failed`);
      where.add("r.status = $?", filter.status);
    }
    if (filter.from !== undefined) where.add("r.business_date >= $?::date", checkDate(filter.from, "from"));
    if (filter.to !== undefined) where.add("r.business_date <= $?::date", checkDate(filter.to, "to"));
    const limit = where.param(checkLimit(filter.limit));
    const rows = await sql.query(
      `SELECT ${RUN_COLUMNS} FROM recon_runs r ${where.clause()}
       ORDER BY r.business_date DESC, r.adapter, r.id DESC LIMIT ${limit}`,
      where.params,
    );
    return rows.map(runRow);
  }

  async function run(runId: bigint): Promise<RunDetail | undefined> {
    const row = (await sql.query(`SELECT ${RUN_COLUMNS} FROM recon_runs r WHERE r.id = $1`, [runId]))[0];
    if (row === undefined) return undefined;
    const totals = await sql.query(
      `SELECT v.class, coalesce(l.currency, p.currency) AS currency, count(*) AS verdicts,
         count(*) FILTER (WHERE v.discrepancy) AS discrepancies,
         count(*) FILTER (WHERE v.discrepancy AND NOT EXISTS ${RESOLUTION_OF}) AS open,
         coalesce(sum(v.our_amount_minor), 0) AS ours, coalesce(sum(v.their_amount_minor), 0) AS theirs
       FROM recon_verdicts v
       LEFT JOIN recon_lines l ON l.run_id = v.run_id AND l.line_no = v.line_no
       LEFT JOIN payments p ON v.line_no IS NULL AND p.id = v.payment_id
       WHERE v.run_id = $1
       GROUP BY v.class, coalesce(l.currency, p.currency)
       ORDER BY 2 NULLS LAST`,
      [runId],
    );
    const classes = new Map<string, ClassTotal>(
      VERDICT_CLASSES.map((name) => [
        name,
        { class: name, verdicts: 0, discrepancies: 0, open: 0, amounts: [] },
      ]),
    );
    for (const total of totals) {
      const name = readText(total, "class");
      const entry = classes.get(name);
      if (entry === undefined)
        throw new Error(`recon_verdicts holds an unknown class ${JSON.stringify(name)}`);
      entry.verdicts += Number(readBigint(total, "verdicts"));
      entry.discrepancies += Number(readBigint(total, "discrepancies"));
      entry.open += Number(readBigint(total, "open"));
      entry.amounts.push({
        currency: isNull(total, "currency") ? null : readText(total, "currency"),
        ourMinor: readNumeric(total, "ours"),
        theirMinor: readNumeric(total, "theirs"),
      });
    }
    return { ...runRow(row), classes: [...classes.values()] };
  }

  async function discrepancies(filter: DiscrepancyFilter): Promise<VerdictRow[]> {
    const where = new Conditions();
    where.add("v.discrepancy");
    if (filter.run !== undefined) where.add("v.run_id = $?", filter.run);
    if (filter.adapter !== undefined) where.add("r.adapter = $?", filter.adapter);
    if (filter.date !== undefined) where.add("r.business_date = $?::date", checkDate(filter.date, "date"));
    if (filter.class !== undefined) {
      if (!isVerdictClass(filter.class) || filter.class === "matched") {
        const classes = VERDICT_CLASSES.filter((name) => name !== "matched").join(", ");
        throw invalid("class", `${JSON.stringify(filter.class)} is not one of ${classes}`);
      }
      where.add("v.class = $?", filter.class);
    }
    if (filter.status !== undefined) {
      if (filter.status !== "open" && filter.status !== "resolved")
        throw invalid("status", `${JSON.stringify(filter.status)} is not open or resolved`);
      where.add(filter.status === "open" ? "d.seq IS NULL" : "d.seq IS NOT NULL");
    }
    if (filter.after !== undefined) {
      const { runId, lineNo, paymentId } = parseVerdictId(filter.after, "after");
      const run = where.param(runId);
      const line = where.param(lineNo ?? 2147483647);
      const payment = where.param(paymentId ?? "");
      where.add(
        `(v.run_id < ${run} OR (v.run_id = ${run} AND ${VERDICT_ORDER} > (${line}::integer, ${payment})))`,
      );
    }
    const limit = where.param(checkLimit(filter.limit));
    const rows = await sql.query(
      `${VERDICT_SELECT} ${where.clause()} ORDER BY v.run_id DESC, ${VERDICT_ORDER} LIMIT ${limit}`,
      where.params,
    );
    return rows.map(verdictRow);
  }

  async function* verdicts(runId: bigint): AsyncGenerator<VerdictRow> {
    let after: readonly [number, string] = [-1, ""];
    for (;;) {
      const rows = await sql.query(
        `${VERDICT_SELECT} WHERE v.run_id = $1 AND ${VERDICT_ORDER} > ($2::integer, $3)
         ORDER BY ${VERDICT_ORDER} LIMIT ${pageSize}`,
        [runId, after[0], after[1]],
      );
      for (const row of rows) yield verdictRow(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = isNull(last, "line_no")
        ? [2147483647, readText(last, "payment_id")]
        : [readInt(last, "line_no"), ""];
    }
  }

  async function resolve(request: ResolveRequest): Promise<Resolution> {
    const key = parseVerdictId(request.id);
    const exists = await sql.query("SELECT 1 FROM recon_runs WHERE id = $1", [key.runId]);
    if (exists.length === 0) throw new ReconError("NOT_FOUND", `there is no run ${key.runId}`);
    return recordResolution(
      sql,
      {
        runId: key.runId,
        ...(key.lineNo === undefined ? {} : { lineNo: key.lineNo }),
        ...(key.paymentId === undefined ? {} : { paymentId: key.paymentId }),
        action: request.action,
        actor: request.actor,
        note: request.note,
      },
      clock(),
    );
  }

  return { runs, run, discrepancies, verdicts, resolve };
}

function invalid(field: string, message: string): ReconError {
  return new ReconError("INVALID_REQUEST", `${field}: ${message}`, { field });
}

function checkDate(text: string, field: string): string {
  if (!isBusinessDate(text)) throw invalid(field, `${JSON.stringify(text)} is not a YYYY-MM-DD date`);
  return text;
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalid("limit", `must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

/** WHERE conditions with numbered parameters: `$?` in a condition becomes the next `$n`. */
class Conditions {
  readonly params: SqlValue[] = [];
  private readonly parts: string[] = [];

  add(condition: string, value?: SqlValue): void {
    this.parts.push(value === undefined ? condition : condition.replace("$?", this.param(value)));
  }

  param(value: SqlValue): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  clause(): string {
    return this.parts.length === 0 ? "" : `WHERE ${this.parts.join(" AND ")}`;
  }
}

function runRow(row: SqlRow): RunRow {
  const finishedAt = readOptionalDate(row, "finished_at");
  return {
    runId: readBigint(row, "id"),
    adapter: readText(row, "adapter"),
    businessDate: readText(row, "business_date"),
    status: readText(row, "status") as RunStatus,
    attempts: readInt(row, "attempts"),
    ...(isNull(row, "failure") ? {} : { failure: readText(row, "failure") }),
    lines: Number(readBigint(row, "line_count")),
    unreadable: Number(readBigint(row, "unreadable_count")),
    discrepancies: Number(readBigint(row, "discrepancy_count")),
    open: Number(readBigint(row, "open_count")),
    createdAt: readDate(row, "created_at"),
    ...(finishedAt === undefined ? {} : { finishedAt }),
  };
}

function verdictRow(row: SqlRow): VerdictRow {
  const key: VerdictKey = {
    runId: readBigint(row, "run_id"),
    ...(isNull(row, "line_no")
      ? { paymentId: readText(row, "payment_id") }
      : { lineNo: readInt(row, "line_no") }),
  };
  const optional = <T>(column: string, read: (row: SqlRow, column: string) => T) =>
    isNull(row, column) ? undefined : read(row, column);
  const verdict: VerdictRow = {
    id: verdictId(key),
    runId: key.runId,
    adapter: readText(row, "adapter"),
    businessDate: readText(row, "business_date"),
    class: readText(row, "class") as VerdictClass,
    discrepancy: row.discrepancy === true,
  };
  if (key.lineNo !== undefined) verdict.lineNo = key.lineNo;
  const paymentId = optional("payment_id", readText);
  if (paymentId !== undefined) verdict.paymentId = paymentId;
  const fields = {
    type: optional("type", readText),
    providerReference: optional("provider_reference", readText),
    currency: optional("currency", readText),
    ourAmountMinor: optional("our_amount_minor", readBigint),
    theirAmountMinor: optional("their_amount_minor", readBigint),
    detail: optional("detail", readText),
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(verdict, { [name]: value });
  }
  if (!isNull(row, "seq")) {
    verdict.resolution = {
      seq: readBigint(row, "seq"),
      action: readText(row, "action") as ResolutionAction,
      actor: readText(row, "actor"),
      note: readText(row, "note"),
      at: readDate(row, "at"),
    };
  }
  return verdict;
}

// sum(bigint) is numeric in SQL: the drivers give it as a string, which BigInt reads exactly.
function readNumeric(row: SqlRow, column: string): bigint {
  const value = row[column];
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new Error(`${column}: ${JSON.stringify(String(value))} is not a whole number`);
}
