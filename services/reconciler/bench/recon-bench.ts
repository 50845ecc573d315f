// Reconciles an N-line settlement report against N payments in Postgres through the engine, in
// this process (so this process is the reconciler whose peak RSS is printed), and times a bare COPY
// of the same lines into a plain table in the same run, for the ratio.
//   pnpm bench:recon [lines] [--seed S] [--rounds R]
//   (default 100000 lines, seed 1, 3 rounds; DATABASE_URL, default the local test database)
// Each round runs the engine (a rerun replaces the previous round's verdicts) and then the bare
// COPY; the ratio is of the medians, as one COPY's time on a shared machine varies by half.
// The report carries perClass (1,000 from a million lines, one per thousand below) of every
// discrepancy class at places the seed picks; the run must find exactly them, or this exits 1.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createPgSqlClient, createSqlPaymentStore } from "@paymesh/store";
import { dropTestSchema } from "@paymesh/store/testing";
import { createReconciler, type RunSummary, VERDICT_CLASSES } from "../src/index.ts";
import { LINE_COLUMNS, lineCsv } from "../src/line-csv.ts";
import { type BenchDay, benchDay, DAY, DAY_START, paymentId } from "./bench-day.ts";

const { values, positionals } = parseArgs({
  options: { seed: { type: "string", default: "1" }, rounds: { type: "string", default: "3" } },
  allowPositionals: true,
});
const databaseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const count = Number(positionals[0] ?? 100_000);
const seed = Number(values.seed);
if (!Number.isSafeInteger(count) || count < 1_000 || count > 100_000_000) {
  console.error(`lines must be an integer from 1000 to 100000000, got ${positionals[0]}`);
  process.exit(2);
}
if (!Number.isSafeInteger(seed)) {
  console.error(`--seed must be an integer, got ${values.seed}`);
  process.exit(2);
}
const rounds = Number(values.rounds);
if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > 20) {
  console.error(`--rounds must be an integer from 1 to 20, got ${values.rounds}`);
  process.exit(2);
}

const ADAPTER = "qris";
const schema = `paymesh_bench_${randomBytes(4).toString("hex")}`;
const sql = createPgSqlClient({ databaseUrl, schema, maxConnections: 2 });
const clock = () => new Date("2026-12-05T00:00:00Z");
const day = benchDay(count, seed);
const mb = (kilobytes: number) => `${(kilobytes / 1024).toFixed(0)} MB`;

async function seedPayments(day: BenchDay): Promise<void> {
  // Not measured: one INSERT … SELECT for the payments and one for the journal. Payments from
  // dayPayments on succeeded the day before, over 1h45m clear of midnight (no cut-off skew).
  await sql.query(
    `INSERT INTO payments (id, caller, idempotency_key, fingerprint, amount_minor, currency, method_type, method,
       merchant_reference, description, metadata, status, adapter, provider_reference, customer_action, failure,
       outcome_unknown, created_at, updated_at, expires_at, version)
     SELECT 'pay_' || lpad(i::text, 9, '0'), 'bench', 'key-' || i, 'fp', 10000 + (i % 5000) * 100, 'IDR', 'QRIS',
       NULL, 'order-' || i, 'bench', '{}', 'SUCCEEDED', $1, 'REF-' || i, NULL, NULL, false, at, at, NULL, 2
     FROM generate_series(0, $2::integer - 1) AS i,
       LATERAL (SELECT $3::timestamptz + CASE WHEN i < $4 THEN 0 ELSE -86400 END * interval '1 second'
         + (i % 80000) * interval '1 second' AS at) AS t`,
    [ADAPTER, day.payments, new Date(DAY_START), day.dayPayments],
  );
  await sql.query(
    `INSERT INTO payment_journal (payment_id, from_status, to_status, cause, at)
     SELECT id, 'REQUIRES_ACTION', 'SUCCEEDED', 'webhook', created_at FROM payments WHERE caller = 'bench'`,
  );
  const failed = Array.from(day.failedPayments(), paymentId);
  await sql.query("UPDATE payments SET status = 'FAILED' WHERE id = ANY($1::text[])", [failed]);
  await sql.query("UPDATE payment_journal SET to_status = 'FAILED' WHERE payment_id = ANY($1::text[])", [
    failed,
  ]);
  // As a live store's would be by the time its day is reconciled: autovacuum has visited the
  // rows, so a first reader does not pay for setting their hint bits.
  await sql.query("VACUUM (ANALYZE) payments, payment_journal");
}

/** The same lines as the CSV the engine feeds COPY, into a table with its columns and no key or index. */
async function bareCopy(day: BenchDay): Promise<number> {
  await sql.query("DROP TABLE IF EXISTS bench_bare_lines");
  await sql.query("CREATE TABLE bench_bare_lines AS SELECT * FROM recon_lines WITH NO DATA");
  async function* csv(): AsyncGenerator<string> {
    let lineNo = 0;
    let rows: string[] = [];
    for await (const line of day.report()) {
      rows.push(lineCsv(0n, ++lineNo, line));
      if (rows.length === 500) {
        yield rows.join("");
        rows = [];
      }
    }
    if (rows.length > 0) yield rows.join("");
  }
  const started = performance.now();
  await sql.copyFrom(`bench_bare_lines (${LINE_COLUMNS.join(", ")})`, csv());
  return performance.now() - started;
}

/** Whether a run found exactly the discrepancies the report carries, class by class. */
function foundExactly(summary: RunSummary): boolean {
  return (
    summary.lines === day.lines &&
    summary.unreadable === day.perClass &&
    VERDICT_CLASSES.every((name) => summary.classes[name] === day.expected[name])
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

try {
  const store = await createSqlPaymentStore({ sql: createPgSqlClient({ databaseUrl, schema }), clock });
  await store.close();
  const loadBefore = load();
  await seedPayments(day);
  const reconciler = await createReconciler({ sql, clock });
  const rssBefore = process.resourceUsage().maxRSS;
  const runs: number[] = [];
  const copies: number[] = [];
  let rssPeak = 0;
  let exact = true;
  let summary: RunSummary | undefined;
  for (let round = 1; round <= rounds; round++) {
    // Each timed part starts from a checkpoint, so neither pays for writing back pages the
    // seeding (or the other part) dirtied.
    await sql.query("CHECKPOINT");
    const started = performance.now();
    summary = await reconciler.run({
      adapter: ADAPTER,
      businessDate: DAY,
      report: { adapter: ADAPTER, businessDate: DAY, lines: day.report() },
      terms: { settlementLagMs: 86_400_000, fees: [{ currency: "IDR", ratePpm: 7_000, taxPpm: 110_000 }] },
    });
    runs.push(performance.now() - started);
    // maxRSS is the process's peak so far: taken before the first bare COPY, it is the reconciler's alone.
    if (round === 1) rssPeak = process.resourceUsage().maxRSS;
    exact &&= foundExactly(summary);
    await sql.query("CHECKPOINT");
    copies.push(await bareCopy(day));
  }
  if (summary === undefined) throw new Error("no round ran");
  const runMs = median(runs);
  const copyMs = median(copies);
  const seconds = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(", ");

  console.log(
    `reconciliation of ${summary.lines} lines against ${day.payments} payments (${day.dayPayments} of the day), Postgres, seed ${seed}`,
  );
  console.log(`  load average         ${loadBefore} before, ${load()} after (1, 5, 15 min)`);
  console.log(`  run wall time        ${(runMs / 1000).toFixed(2)} s median of ${rounds} (${seconds(runs)})`);
  console.log(`  lines per second     ${Math.round(summary.lines / (runMs / 1000))}`);
  console.log(
    `  bare COPY, same rows ${(copyMs / 1000).toFixed(2)} s median of ${rounds} (${seconds(copies)})`,
  );
  console.log(`  run / bare COPY      ${(runMs / copyMs).toFixed(2)}x`);
  console.log(`  peak RSS             ${mb(rssPeak)} (${mb(rssBefore)} before the first run)`);
  console.log(`  ${"class".padEnd(22)} ${"expected".padStart(8)} ${"found".padStart(8)}  (last round)`);
  for (const name of VERDICT_CLASSES) {
    const same = summary.classes[name] === day.expected[name];
    console.log(
      `  ${name.padEnd(22)} ${String(day.expected[name]).padStart(8)} ${String(summary.classes[name]).padStart(8)}${same ? "" : "  DIFFERENT"}`,
    );
  }
  console.log(`  injected found       ${exact ? "exactly, in every round" : "NOT exactly"}`);
  if (!exact) process.exitCode = 1;
} finally {
  await sql.close();
  await dropTestSchema(databaseUrl, schema);
}
