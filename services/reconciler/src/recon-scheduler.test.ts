import {
  createMemoryWorkQueue,
  createRabbitWorkQueue,
  type OutgoingMessage,
  type QueueMessage,
  type WorkQueue,
} from "@paymesh/queue";
import { amqpUrlForTests, deleteWorkQueue, uniqueTestName } from "@paymesh/queue/testing";
import { createPgliteSqlClient, createPgSqlClient, readText, type SqlClient } from "@paymesh/store";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { createTestClock, waitFor } from "@paymesh/test-kit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readReconJob } from "./recon-job.ts";
import { dueBusinessDates } from "./recon-schedule.ts";
import { createReconScheduler } from "./recon-scheduler.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const JAKARTA = { timeZone: "Asia/Jakarta", settlementLagMs: DAY_MS };

describe("dueBusinessDates", () => {
  it("makes a WIB day due at the next midnight WIB plus the lag, not a moment before", () => {
    // 2026-12-03 WIB ends at 2026-12-03T17:00Z; with T+1 it is due at 2026-12-04T17:00Z.
    expect(dueBusinessDates(new Date("2026-12-04T16:59:59Z"), JAKARTA, 1)).toEqual(["2026-12-02"]);
    expect(dueBusinessDates(new Date("2026-12-04T17:00:00Z"), JAKARTA, 1)).toEqual(["2026-12-03"]);
  });

  it("uses each adapter's own cut-off zone and lag", () => {
    const wise = { timeZone: "UTC", settlementLagMs: 2 * 60 * 60 * 1000 };
    expect(dueBusinessDates(new Date("2026-12-04T01:59:00Z"), wise, 1)).toEqual(["2026-12-02"]);
    expect(dueBusinessDates(new Date("2026-12-04T02:00:00Z"), wise, 1)).toEqual(["2026-12-03"]);
  });

  it("looks back the given number of days, across a month's end", () => {
    expect(dueBusinessDates(new Date("2027-01-02T18:00:00Z"), JAKARTA, 4)).toEqual([
      "2027-01-01",
      "2026-12-31",
      "2026-12-30",
      "2026-12-29",
    ]);
  });
});

/** A database and the `paymesh.recon` queue, as several reconcilers would share them. */
interface Backend {
  /** One reconciler's connection (its own pool on Postgres; PGlite is one connection for all). */
  sql(): SqlClient;
  queue(): Promise<WorkQueue>;
  dispose(): Promise<void>;
}

const databaseUrl = postgresUrlForTests();
const amqpUrl = amqpUrlForTests();

async function openBackend(): Promise<Backend> {
  const cleanups: Array<() => Promise<unknown>> = [];
  let sql: () => SqlClient;
  if (databaseUrl === undefined) {
    const shared = await createPgliteSqlClient();
    cleanups.push(() => shared.close());
    sql = () => shared;
  } else {
    const schema = uniqueTestSchema();
    cleanups.push(() => dropTestSchema(databaseUrl, schema));
    sql = () => {
      const client = createPgSqlClient({ databaseUrl, schema });
      cleanups.push(() => client.close());
      return client;
    };
  }
  let queue: () => Promise<WorkQueue>;
  if (amqpUrl === undefined) {
    const shared = createMemoryWorkQueue({ name: "paymesh.recon" });
    cleanups.push(() => shared.close());
    queue = async () => shared;
  } else {
    const name = uniqueTestName("recon-schedule");
    cleanups.push(() => deleteWorkQueue(amqpUrl, name, [1_000]));
    queue = async () => {
      const opened = await createRabbitWorkQueue({ url: amqpUrl, name, retryDelaysMs: [1_000] });
      cleanups.push(() => opened.close());
      return opened;
    };
  }
  return {
    sql,
    queue,
    async dispose() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
}

/** Every job that reaches a consumer of `queue`, as "adapter date". */
async function collectJobs(queue: WorkQueue): Promise<{ jobs: string[]; stop(): Promise<void> }> {
  const jobs: string[] = [];
  const consumer = await queue.consume(async (message: QueueMessage) => {
    const job = readReconJob(message);
    jobs.push(`${job.adapter} ${job.businessDate}`);
  });
  return { jobs, stop: () => consumer.stop() };
}

async function runRows(sql: SqlClient): Promise<string[]> {
  const rows = await sql.query(
    "SELECT adapter || ' ' || to_char(business_date, 'YYYY-MM-DD') AS run FROM recon_runs ORDER BY 1",
  );
  return rows.map((row) => readText(row, "run"));
}

describe(`the recon scheduler on ${databaseUrl ? "Postgres" : "PGlite"} with ${amqpUrl ? "RabbitMQ" : "the in-process queue"}`, () => {
  let backend: Backend;
  const clock = createTestClock(new Date("2026-12-05T00:00:00Z"));
  beforeEach(async () => {
    clock.set(new Date("2026-12-05T00:00:00Z"));
    backend = await openBackend();
  });
  afterEach(() => backend.dispose());

  const scheduler = async (queue?: WorkQueue) =>
    createReconScheduler({
      sql: backend.sql(),
      queue: queue ?? (await backend.queue()),
      adapters: { va: JAKARTA, qris: JAKARTA },
      lookBackDays: 3,
      clock: clock.now,
    });

  it("creates each due run once and queues one job for it, however many reconcilers tick at once", async () => {
    const schedulers = await Promise.all(Array.from({ length: 4 }, () => scheduler()));
    const queue = await backend.queue();
    const collector = await collectJobs(queue);
    const created = await Promise.all(schedulers.flatMap((each) => [each.tick(), each.tick()]));
    const expected = [
      "qris 2026-12-01",
      "qris 2026-12-02",
      "qris 2026-12-03",
      "va 2026-12-01",
      "va 2026-12-02",
      "va 2026-12-03",
    ];
    expect(
      created
        .flat()
        .map((run) => `${run.adapter} ${run.businessDate}`)
        .sort(),
    ).toEqual(expected);
    expect(await runRows(backend.sql())).toEqual(expected);
    await waitFor(() => (collector.jobs.length >= expected.length ? true : undefined), 10_000, "the jobs");
    // With the consumer stopped, a job published twice would still be waiting in the queue.
    await collector.stop();
    expect((await queue.sizes()).waiting).toBe(0);
    expect([...collector.jobs].sort()).toEqual(expected);
  });

  it("catches up the days it missed while down, oldest first, within the look-back", async () => {
    const first = await scheduler();
    const collector = await collectJobs(await backend.queue());
    await first.tick();
    await waitFor(() => (collector.jobs.length === 6 ? true : undefined), 10_000, "the first jobs");
    collector.jobs.length = 0;
    // Its worker ran them; then it was down for two days, back on the 7th, 08:00 WIB.
    await backend.sql().query("UPDATE recon_runs SET status = 'completed'");
    clock.set(new Date("2026-12-07T01:00:00Z"));
    const back = await scheduler();
    const created = await back.tick();
    expect(created.map((run) => `${run.adapter} ${run.businessDate}`)).toEqual([
      "va 2026-12-04",
      "va 2026-12-05",
      "qris 2026-12-04",
      "qris 2026-12-05",
    ]);
    await waitFor(() => (collector.jobs.length === 4 ? true : undefined), 10_000, "the catch-up jobs");
    expect(await back.tick()).toEqual([]);
    // A longer outage loses the days beyond the look-back: they are a person's to run.
    clock.set(new Date("2026-12-20T01:00:00Z"));
    expect((await back.tick()).filter((run) => run.adapter === "va").map((run) => run.businessDate)).toEqual([
      "2026-12-16",
      "2026-12-17",
      "2026-12-18",
    ]);
    await collector.stop();
  });

  it("leaves no run behind when its job cannot be queued, and creates it on the next tick", async () => {
    const real = await backend.queue();
    let refuse = true;
    const flaky: WorkQueue = {
      ...real,
      async enqueue(message: OutgoingMessage) {
        if (refuse) throw new Error("broker away");
        await real.enqueue(message);
      },
    };
    const ticking = await scheduler(flaky);
    await expect(ticking.tick()).rejects.toThrow("broker away");
    expect(await runRows(backend.sql())).toEqual([]);
    refuse = false;
    expect(await ticking.tick()).toHaveLength(6);
    expect(await runRows(backend.sql())).toHaveLength(6);
  });

  it("on an in-process queue, queues again at start the unfinished runs whose jobs died with the last process", async () => {
    const before = createMemoryWorkQueue({ name: "paymesh.recon" });
    const first = await scheduler(before);
    expect(await first.tick()).toHaveLength(6);
    // The process stops with its jobs unrun; one run had completed before it did.
    await before.close();
    await backend
      .sql()
      .query(
        "UPDATE recon_runs SET status = 'completed' WHERE adapter = 'va' AND business_date = '2026-12-03'",
      );
    await backend
      .sql()
      .query(
        "UPDATE recon_runs SET status = 'failed' WHERE adapter = 'qris' AND business_date = '2026-12-01'",
      );

    clock.advance(60_000);
    const after = createMemoryWorkQueue({ name: "paymesh.recon" });
    const collector = await collectJobs(after);
    const back = await scheduler(after);
    expect(await back.tick()).toEqual([]);
    await waitFor(() => (collector.jobs.length >= 5 ? true : undefined), 10_000, "the resumed jobs");
    expect(await back.tick()).toEqual([]);
    await collector.stop();
    expect((await after.sizes()).waiting).toBe(0);
    expect([...collector.jobs].sort()).toEqual([
      "qris 2026-12-01",
      "qris 2026-12-02",
      "qris 2026-12-03",
      "va 2026-12-01",
      "va 2026-12-02",
    ]);
    await after.close();
  });
});
