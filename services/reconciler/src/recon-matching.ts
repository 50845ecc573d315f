import { readBigint, type SqlQueryable } from "@paymesh/store";
import { type FeeSchedule, feeScheduleParams } from "./fee-schedule.ts";
import type { RunPartitions } from "./run-partitions.ts";

/** What the matching statements need to know about the run they judge. */
export interface MatchContext {
  runId: bigint;
  partitions: RunPartitions;
  adapter: string;
  /** "YYYY-MM-DD". */
  businessDate: string;
  /** The business day in the adapter's cut-off time zone: [start, end). */
  start: Date;
  end: Date;
  /** Payments within this of a day boundary may be settled in the neighbouring day's report. */
  cutoffSkewMs: number;
  /** A SUCCEEDED payment with no line is expected, not a discrepancy, until this instant. */
  expectedUntil: Date;
  now: Date;
  fees: FeeSchedule;
}

/**
 * `amount` (numeric, minor units) rounded as the fee rule in `rule` says (its `rounding` and
 * `unit_minor` columns), as a bigint: the one place a fee's rounding is written.
 */
function rounded(amount: string, rule: string): string {
  const units = `(${amount}) / ${rule}.unit_minor`;
  return `(CASE ${rule}.rounding
      WHEN 'down' THEN floor(${units})
      WHEN 'up' THEN ceil(${units})
      ELSE round(${units})
    END * ${rule}.unit_minor)::bigint`;
}

/**
 * For a line `l` and the fee rule `r` of its currency: what is wrong with its fee, or NULL when it
 * charged what the rule allows (or no rule applies: the schedule does not cover the line). Only
 * the verdict's words leave the sort that follows, not the fee's inputs.
 */
const EXPECTED_FEE = `(r.flat_minor + ${rounded("l.gross_minor::numeric * r.rate_ppm / 1000000", "r")})`;
const EXPECTED_TAX = rounded(`${EXPECTED_FEE}::numeric * r.tax_ppm / 1000000`, "r");
const FEE_MISMATCH = `CASE WHEN ${EXPECTED_FEE} <> l.provider_fee_minor OR ${EXPECTED_TAX} <> l.tax_minor
    THEN format('expected fee %s + tax %s, charged %s + %s', ${EXPECTED_FEE}, ${EXPECTED_TAX},
      l.provider_fee_minor, l.tax_minor) END`;

// Statuses are stored by name (packages/store enum-names.ts): only SUCCEEDED may be settled.
const SUCCEEDED = "'SUCCEEDED'";

/**
 * One verdict per line that is not a batch total, in one pass over the lines. The line finds our
 * payment by the id the provider echoed, else by (adapter, provider reference) (the newest payment,
 * should two share one), with no time window: a line settling an old payment late still finds it.
 * The reference is looked up only for a line the id did not find (a NULL key skips the probe). The
 * fee and its tax are computed once per line, in the subqueries that cannot be flattened (DISTINCT
 * ON, the window): a CTE referenced once is inlined, and its expression would be copied into every
 * place that names it. The first discrepancy in the CASE order wins, so each line has exactly one
 * class; a payment's later settlement lines are its duplicates.
 */
const JUDGE_LINES = `
WITH fees AS (
  SELECT currency, rate_ppm::bigint AS rate_ppm, flat_minor::bigint AS flat_minor, tax_ppm::bigint AS tax_ppm,
    rounding, unit_minor::numeric AS unit_minor
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    AS f (currency, rate_ppm, flat_minor, tax_ppm, rounding, unit_minor)
),
found AS (
  SELECT DISTINCT ON (l.line_no) l.line_no, l.kind, l.type, l.currency, l.gross_minor, l.provider_reference,
    l.unreadable_reason, ${FEE_MISMATCH} AS fee_mismatch,
    coalesce(by_id.id, by_ref.id) AS payment_id, coalesce(by_id.amount_minor, by_ref.amount_minor) AS amount_minor,
    coalesce(by_id.currency, by_ref.currency) AS our_currency, coalesce(by_id.status, by_ref.status) AS status
  FROM recon_lines l
  LEFT JOIN fees r ON r.currency = l.currency AND l.type = 'payment'
  LEFT JOIN payments by_id ON l.kind = 'transaction' AND by_id.id = l.payment_id AND by_id.adapter = $2
  LEFT JOIN payments by_ref ON by_ref.adapter = $2 AND by_ref.provider_reference =
    CASE WHEN l.kind = 'transaction' AND by_id.id IS NULL AND l.provider_reference <> '' THEN l.provider_reference END
  WHERE l.run_id = $1 AND l.kind <> 'batch_total'
  ORDER BY l.line_no, by_ref.updated_at DESC
),
judged AS (
  SELECT l.*, min(l.line_no) FILTER (WHERE l.type = 'payment') OVER (PARTITION BY l.payment_id) AS first_line
  FROM found l
),
classified AS (
  SELECT *,
    CASE
      WHEN kind = 'unreadable' THEN 'unreadable'
      WHEN type IN ('refund', 'reversal', 'chargeback') THEN 'unrecorded_refund'
      WHEN type IN ('fee', 'adjustment') THEN 'adjustment'
      WHEN payment_id IS NULL THEN 'missing_internal'
      WHEN first_line <> line_no THEN 'duplicate_settlement'
      WHEN status <> ${SUCCEEDED} THEN 'status_mismatch'
      WHEN our_currency <> currency THEN 'currency_mismatch'
      WHEN amount_minor <> gross_minor THEN 'amount_mismatch'
      -- NULL (no rule for the currency) is not a mismatch: the schedule does not cover it.
      WHEN fee_mismatch IS NOT NULL THEN 'fee_mismatch'
      ELSE 'matched'
    END AS class
  -- OFFSET 0 keeps the class a column computed once: flattened, its CASE would be copied into
  -- each of the three places below that name it.
  FROM judged OFFSET 0
)
INSERT INTO recon_verdicts (run_id, line_no, payment_id, class, discrepancy, our_amount_minor, their_amount_minor, detail)
SELECT $1, line_no, payment_id, class, class <> 'matched', amount_minor, gross_minor,
  CASE class
    WHEN 'unreadable' THEN unreadable_reason
    WHEN 'unrecorded_refund' THEN format('%s of %s %s with no refund recorded', type, gross_minor, currency)
    WHEN 'adjustment' THEN format('%s of %s %s from the provider', type, gross_minor, currency)
    WHEN 'missing_internal' THEN format('no payment of ours for reference %s', provider_reference)
    WHEN 'duplicate_settlement' THEN format('payment already settled on line %s', first_line)
    WHEN 'status_mismatch' THEN format('settled, but the payment is %s', status)
    WHEN 'currency_mismatch' THEN format('ours %s, theirs %s', our_currency, currency)
    WHEN 'amount_mismatch' THEN format('ours %s %s, theirs %s %s', amount_minor, our_currency, gross_minor, currency)
    WHEN 'fee_mismatch' THEN fee_mismatch
  END
FROM classified`;

/**
 * One verdict per batch total line, like with like as payments.adapter.v1.SettlementBatch defines
 * it: the signed sums of the batch's readable lines in the total's currency must equal its stated
 * gross and net. Its stated count covers those lines and the batch's unreadable ones (whose
 * currency may be what could not be read, so they may or may not be in it). An unreadable line's
 * amounts cannot be summed, so its batch's amounts cannot be confirmed: a mismatch then says how
 * many unreadable lines the sums leave out, for the person who reads them.
 */
const JUDGE_BATCHES = `
WITH grouped AS (
  -- One pass over the run's lines: each batch total its own group, the other lines summed per
  -- (kind, batch, currency).
  SELECT kind, batch_id, currency, CASE WHEN kind = 'batch_total' THEN line_no END AS total_line,
    sum(gross_minor) AS gross, sum(net_minor) AS net, count(*) AS lines, max(line_count) AS line_count
  FROM recon_lines WHERE run_id = $1
  GROUP BY kind, batch_id, currency, CASE WHEN kind = 'batch_total' THEN line_no END
),
unread AS (
  SELECT batch_id, sum(lines) AS lines FROM grouped WHERE kind = 'unreadable' GROUP BY batch_id
),
judged AS (
  SELECT b.total_line AS line_no, b.gross AS gross_minor, b.net AS net_minor, b.line_count, b.currency,
    coalesce(s.gross, 0) AS gross, coalesce(s.net, 0) AS net, coalesce(s.lines, 0) AS lines,
    coalesce(u.lines, 0) AS unreadable
  FROM grouped b
  LEFT JOIN grouped s ON s.kind = 'transaction' AND s.batch_id = b.batch_id AND s.currency = b.currency
  LEFT JOIN unread u ON u.batch_id = b.batch_id
  WHERE b.kind = 'batch_total'
)
INSERT INTO recon_verdicts (run_id, line_no, payment_id, class, discrepancy, our_amount_minor, their_amount_minor, detail)
SELECT $1, line_no, NULL, class, class <> 'matched', net, net_minor,
  CASE class WHEN 'batch_total_mismatch' THEN
    format('stated gross %s net %s%s; the lines add up to gross %s net %s in %s lines %s%s',
      gross_minor, net_minor, coalesce(format(' in %s lines', line_count), ''), gross, net, lines, currency,
      CASE WHEN unreadable > 0 THEN format(', leaving out %s unreadable lines of the batch', unreadable) ELSE '' END)
  END
FROM (
  SELECT *, CASE WHEN gross = gross_minor AND net = net_minor
      AND (line_count IS NULL OR line_count BETWEEN lines AND lines + unreadable)
    THEN 'matched' ELSE 'batch_total_mismatch' END AS class
  FROM judged
) AS checked`;

/**
 * One verdict per payment of this adapter that became SUCCEEDED in the business day (by the
 * journal) and that no line of this report settles. It counts as matched when the neighbouring
 * day's run ($9: the day before, $10: the day after) settled it and it succeeded within the cut-off
 * skew of their shared boundary; otherwise it is missing at the provider, a discrepancy only once
 * the settlement lag has passed. Verdicts have no index by payment (keeping one up costs a million-
 * line run more than any lookup saves), so the few payments near a boundary are looked up in the
 * neighbour's verdicts by hash joins, one pass over each neighbour at most.
 */
const JUDGE_UNSETTLED_PAYMENTS = `
WITH unsettled AS MATERIALIZED (
  SELECT p.id, p.amount_minor, j.at
  FROM payment_journal j
  JOIN payments p ON p.id = j.payment_id
  WHERE j.to_status = ${SUCCEEDED} AND j.at >= $3 AND j.at < $4 AND p.adapter = $2 AND p.status = ${SUCCEEDED}
    AND NOT EXISTS (
      SELECT 1 FROM recon_verdicts own WHERE own.run_id = $1 AND own.payment_id = p.id AND own.line_no IS NOT NULL
    )
),
settled_before AS (
  SELECT DISTINCT u.id FROM recon_verdicts v JOIN unsettled u ON u.id = v.payment_id
  WHERE v.run_id = $9 AND v.line_no IS NOT NULL
    AND u.at < $3::timestamptz + $5::double precision * interval '1 millisecond'
),
settled_after AS (
  SELECT DISTINCT u.id FROM recon_verdicts v JOIN unsettled u ON u.id = v.payment_id
  WHERE v.run_id = $10 AND v.line_no IS NOT NULL
    AND u.at >= $4::timestamptz - $5::double precision * interval '1 millisecond'
),
judged AS (
  SELECT u.id, u.amount_minor,
    CASE WHEN b.id IS NOT NULL THEN $8::date - 1 WHEN a.id IS NOT NULL THEN $8::date + 1 END AS neighbour_date
  FROM unsettled u
  LEFT JOIN settled_before b ON b.id = u.id
  LEFT JOIN settled_after a ON a.id = u.id
)
INSERT INTO recon_verdicts (run_id, line_no, payment_id, class, discrepancy, our_amount_minor, their_amount_minor, detail)
SELECT $1, NULL, id,
  CASE WHEN neighbour_date IS NULL THEN 'missing_at_provider' ELSE 'matched' END,
  neighbour_date IS NULL AND $7::timestamptz >= $6::timestamptz,
  amount_minor, NULL,
  CASE
    WHEN neighbour_date IS NOT NULL THEN format('settled in the report of %s', neighbour_date)
    WHEN $7::timestamptz >= $6::timestamptz THEN 'no settlement line, and the settlement lag has passed'
    ELSE format('no settlement line yet; expected until %s', $6::timestamptz)
  END
FROM judged`;

/**
 * Judges every loaded line and every payment of the day, inside the run's transaction. The run's
 * partitions are analyzed as soon as they are filled: the planner must know a million lines are
 * there, or it joins them by nested loops and a large run takes hours instead of seconds.
 */
export async function judgeRun(tx: SqlQueryable, context: MatchContext): Promise<void> {
  const { runId, adapter, partitions } = context;
  // For this transaction only. A million lines' sorts fit in memory at 256 MB (each sort or hash
  // takes what it needs up to that; the default 4 MB spills them to disk). JIT compilation of
  // these once-run statements costs more than it saves (0.17 s of a 100,000-line run's 1.8 s).
  await tx.query("SET LOCAL work_mem = '256MB'");
  await tx.query("SET LOCAL jit = off");
  // Only the columns the statements below join, filter and group on: the row count and their
  // statistics are what the planner needs, and skipping the rest halves the time ANALYZE takes.
  await tx.query(
    `ANALYZE ${partitions.lines} (run_id, kind, type, payment_id, provider_reference, currency, batch_id)`,
  );
  await tx.query(JUDGE_LINES, [runId, adapter, ...feeScheduleParams(context.fees)]);
  await tx.query(JUDGE_BATCHES, [runId]);
  await tx.query(`ANALYZE ${partitions.verdicts} (run_id, payment_id, line_no)`);
  const neighbours = await tx.query(
    `SELECT id, business_date - $2::date AS offset_days FROM recon_runs
     WHERE adapter = $1 AND business_date IN ($2::date - 1, $2::date + 1)`,
    [adapter, context.businessDate],
  );
  const neighbour = (offset: number) => {
    const row = neighbours.find((candidate) => candidate.offset_days === offset);
    return row === undefined ? null : readBigint(row, "id");
  };
  await tx.query(JUDGE_UNSETTLED_PAYMENTS, [
    runId,
    adapter,
    context.start,
    context.end,
    context.cutoffSkewMs,
    context.expectedUntil,
    context.now,
    context.businessDate,
    neighbour(-1),
    neighbour(1),
  ]);
}

/** The business day [start, end) of `businessDate` in `timeZone`, by the database's time zone rules. */
export async function businessDay(
  tx: SqlQueryable,
  businessDate: string,
  timeZone: string,
): Promise<{ start: Date; end: Date }> {
  const rows = await tx.query(
    `SELECT ($1::date)::timestamp AT TIME ZONE $2 AS start, ($1::date + 1)::timestamp AT TIME ZONE $2 AS "end"`,
    [businessDate, timeZone],
  );
  const row = rows[0];
  if (!(row?.start instanceof Date) || !(row.end instanceof Date))
    throw new Error("business day bounds missing");
  return { start: row.start, end: row.end };
}
