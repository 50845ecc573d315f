// What a durable write costs at a fixed rate on this machine, without the router: each "payment"
// is the two commits a durable CreatePayment makes (one before the adapter call, one after), as
// two single-row INSERTs, started on the open loop's fixed schedule. Measured side by side with
// the same statements under synchronous_commit=off (no WAL flush waited for), so the difference is
// what waiting for the disk adds: the floor under the router's added p99.
//   pnpm -F @paymesh/test bench:commit-floor   (BENCH_RATES, default 100,200,400; BENCH_SECONDS, default 10;
//                                               DATABASE_URL, default the local test database)
import { randomBytes } from "node:crypto";
import pg from "pg";
import { runOpenLoop } from "./open-loop.ts";

const databaseUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const rates = (process.env.BENCH_RATES ?? "100,200,400").split(",").map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
if (rates.some((rate) => !Number.isFinite(rate) || rate <= 0) || !(seconds > 0)) {
  console.error("BENCH_RATES must be positive numbers separated by commas, BENCH_SECONDS a positive number");
  process.exit(2);
}
const table = `paymesh_commit_floor_${randomBytes(4).toString("hex")}`;

/** A pool of the router's default size; `durable: false` sets synchronous_commit=off on its sessions. */
function pool(durable: boolean): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    ...(durable ? {} : { options: "-c synchronous_commit=off" }),
  });
}

const durable = pool(true);
const unflushed = pool(false);
const INSERT = `INSERT INTO ${table} (id, body) VALUES ($1, $2)`;
const body = "x".repeat(600); // about a payment row's size

/** One "payment": two commits in sequence, as the router's two round trips. */
const payment = (db: pg.Pool) => async (i: number) => {
  await db.query(INSERT, [`${i}-a`, body]);
  await db.query(INSERT, [`${i}-b`, body]);
};

const ms = (us: number) => (us / 1000).toFixed(2);
try {
  await durable.query(`CREATE TABLE ${table} (id text PRIMARY KEY, body text NOT NULL)`);
  console.log(`two single-row commits per call, open loop, ${seconds} s per rate, pools of 10 connections`);
  console.log("| rate/s | synchronous_commit | ok | p50 ms | p99 ms | p99.9 ms | max ms |");
  console.log("|---:|---|---:|---:|---:|---:|---:|");
  for (const rate of rates) {
    for (const [name, db] of [
      ["on", durable],
      ["off", unflushed],
    ] as const) {
      const result = await runOpenLoop(payment(db), rate, seconds, 10_000);
      const h = result.latencyUs;
      console.log(
        `| ${rate} | ${name} | ${result.ok} | ${ms(h.percentile(50))} | ${ms(h.percentile(99))} | ${ms(h.percentile(99.9))} | ${ms(h.max)} |`,
      );
      await durable.query(`TRUNCATE ${table}`);
    }
  }
} finally {
  await durable.query(`DROP TABLE IF EXISTS ${table}`);
  await durable.end();
  await unflushed.end();
}
