// Loads N synthetic settlement lines against N payments in Postgres through the engine, and times a
// bare COPY of the same lines into a plain table in the same process, for the ratio.
//   DATABASE_URL=postgres://… pnpm bench:recon [lines]   (default 100000)
// Every 1,000th line carries an injected discrepancy of four kinds; the run must find exactly them.
import { randomBytes } from "node:crypto";
import { createPgSqlClient, createSqlPaymentStore } from "@paymesh/store";
import { dropTestSchema } from "@paymesh/store/testing";
import { createReconciler, type SettledTransaction, type SettlementLine } from "../src/index.ts";
import { LINE_COLUMNS, lineCsv } from "../src/line-csv.ts";

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === "") {
  console.error("set DATABASE_URL to the Postgres to benchmark against");
  process.exit(2);
}
const count = Number(process.argv[2] ?? 100_000);
if (!Number.isSafeInteger(count) || count < 1_000) {
  console.error(`lines must be an integer of at least 1000, got ${process.argv[2]}`);
  process.exit(2);
}

const ADAPTER = "qris";
const DAY = "2026-12-03";
// Noon WIB on the day, and a day later: every payment's success lies in the business day.
const DAY_START = Date.parse("2026-12-02T17:00:00Z");
const schema = `paymesh_bench_${randomBytes(4).toString("hex")}`;
const sql = createPgSqlClient({ databaseUrl, schema, maxConnections: 2 });
const clock = () => new Date("2026-12-05T00:00:00Z");

/** Kinds of discrepancy injected at line i, by i modulo 1000. */
const injected = (i: number) => i % 1_000;

/** The report: one line per payment, with the injected discrepancies. */
async function* report(): AsyncGenerator<SettlementLine> {
  for (let i = 0; i < count; i++) {
    const gross = 10_000n + BigInt(i % 5_000) * 100n;
    const fee = (gross * 7_000n + 500_000n) / 1_000_000n;
    const tax = (fee * 110_000n + 500_000n) / 1_000_000n;
    const line: SettledTransaction = {
      kind: "transaction",
      type: "payment",
      providerReference: injected(i) === 2 ? `UNKNOWN-${i}` : `REF-${i}`,
      gross: injected(i) === 1 ? gross + 1n : gross,
      providerFee: injected(i) === 3 ? fee + 1n : fee,
      tax,
      net: (injected(i) === 1 ? gross + 1n : gross) - (injected(i) === 3 ? fee + 1n : fee) - tax,
      currency: "IDR",
      businessDate: DAY,
      settledAt: new Date(DAY_START + 86_400_000 + 3_600_000),
      batchId: `BATCH-${Math.floor(i / 10_000)}`,
      providerStatus: "SETTLED",
      rawLine: `${DAY};REF-${i};${gross};${fee};${tax};NMID ID1020****1234;SETTLED`,
    };
    yield line;
    if (injected(i) === 4) yield line;
  }
}

async function seedPayments(): Promise<void> {
  // Seeding is not what is measured: one INSERT … SELECT for the payments and one for the journal.
  await sql.query(
    `INSERT INTO payments (id, caller, idempotency_key, fingerprint, amount_minor, currency, method_type, method,
       merchant_reference, description, metadata, status, adapter, provider_reference, customer_action, failure,
       outcome_unknown, created_at, updated_at, expires_at, version)
     SELECT 'pay_' || lpad(i::text, 9, '0'), 'bench', 'key-' || i, 'fp', 10000 + (i % 5000) * 100, 'IDR', 'QRIS',
       NULL, 'order-' || i, 'bench', '{}', 'SUCCEEDED', $1, 'REF-' || i, NULL, NULL, false, at, at, NULL, 2
     FROM generate_series(0, $2::integer - 1) AS i,
       LATERAL (SELECT $3::timestamptz + (i % 86000) * interval '1 second' AS at) AS t`,
    [ADAPTER, count, new Date(DAY_START)],
  );
  await sql.query(
    `INSERT INTO payment_journal (payment_id, from_status, to_status, cause, at)
     SELECT id, 'REQUIRES_ACTION', 'SUCCEEDED', 'webhook', created_at FROM payments WHERE caller = 'bench'`,
  );
  await sql.query("ANALYZE payments");
  await sql.query("ANALYZE payment_journal");
}

/** The same CSV the engine feeds COPY, into a table with the same columns and no key or index. */
async function bareCopy(): Promise<number> {
  await sql.query("CREATE TABLE bench_bare_lines AS SELECT * FROM recon_lines WITH NO DATA");
  async function* csv(): AsyncGenerator<string> {
    let lineNo = 0;
    let rows: string[] = [];
    for await (const line of report()) {
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

try {
  const store = await createSqlPaymentStore({ sql: createPgSqlClient({ databaseUrl, schema }), clock });
  await store.close();
  await seedPayments();
  const reconciler = await createReconciler({ sql, clock });

  const started = performance.now();
  const summary = await reconciler.run({
    adapter: ADAPTER,
    businessDate: DAY,
    report: { adapter: ADAPTER, businessDate: DAY, lines: report() },
    terms: { settlementLagMs: 86_400_000, fees: [{ currency: "IDR", ratePpm: 7_000, taxPpm: 110_000 }] },
  });
  const runMs = performance.now() - started;
  const copyMs = await bareCopy();

  const each = count / 1_000;
  const expected = {
    amount_mismatch: each,
    missing_internal: each,
    missing_at_provider: each,
    fee_mismatch: each,
    duplicate_settlement: each,
  };
  const found = Object.fromEntries(
    Object.keys(expected).map((name) => [name, summary.classes[name as keyof typeof expected]]),
  );
  const exact =
    JSON.stringify(found) === JSON.stringify(expected) && summary.classes.matched === count - 3 * each;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`reconciliation of ${count} lines against ${count} payments (Postgres)`);
  console.log(`  run wall time        ${(runMs / 1000).toFixed(2)} s`);
  console.log(`  lines per second     ${Math.round(summary.lines / (runMs / 1000))}`);
  console.log(`  bare COPY, same rows ${(copyMs / 1000).toFixed(2)} s`);
  console.log(`  run / bare COPY      ${(runMs / copyMs).toFixed(2)}x`);
  console.log(`  peak RSS             ${peakRssMb.toFixed(0)} MB`);
  console.log(`  injected found       ${exact ? "exactly" : "NOT exactly"} ${JSON.stringify(found)}`);
  if (!exact) process.exitCode = 1;
} finally {
  await sql.close();
  await dropTestSchema(databaseUrl, schema);
}
