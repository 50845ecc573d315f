// The reconciler process (services/reconciler/src/main.ts) as it is deployed: configuration errors,
// its announcement, health and metrics, its drain on SIGTERM, and a process killed mid-run whose
// job RabbitMQ hands to the next reconciler, which completes the run once.
import { randomUUID } from "node:crypto";
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import { createMidtransClient, createMidtransVaProvider } from "@paymesh/adapter-va";
import { createVaSimulator, simulatorDefaults, type VaSimulator } from "@paymesh/adapter-va/sandbox";
import { PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import { amqpUrlForTests, deleteExchange, deleteWorkQueue } from "@paymesh/queue/testing";
import { dueBusinessDates } from "@paymesh/reconciler";
import {
  createPgSqlClient,
  createSqlPaymentStore,
  type PaymentStore,
  readText,
  type SqlClient,
} from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { createTestClock, runProcess, startTcpProxy, type TcpProxy, waitFor } from "@paymesh/test-kit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot, startService } from "../support/start-process.ts";

const MAIN = "services/reconciler/src/main.ts";
const databaseUrl = postgresUrlForTests();
const amqpUrl = amqpUrlForTests();
// The process runs on the real clock, with no settlement lag: yesterday in WIB is due now.
const [DAY = ""] = dueBusinessDates(new Date(), { timeZone: "Asia/Jakarta", settlementLagMs: 0 }, 1);
const RETRY_DELAYS_MS = [200];

interface Announced {
  service: string;
  http: string;
  queue: string;
  adapters: string[];
}

describe("the reconciler process's configuration", () => {
  it("exits 2 with one line naming the variable at fault", async () => {
    const run = await runProcess(MAIN, {
      cwd: repoRoot,
      env: { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test", PAYMESH_RECON_CONFIG: "{}" },
      timeoutMs: 20_000,
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^reconciler: PAYMESH_RECON_CONFIG adapters: /),
    ]);
  });
});

describe.runIf(databaseUrl !== undefined)(
  `the reconciler process on Postgres with ${amqpUrl ? "RabbitMQ" : "the in-process queue"}`,
  () => {
    const database = databaseUrl ?? "";
    const clock = createTestClock(new Date(`${DAY}T03:00:00Z`)); // 10:00 WIB on the day
    const cleanups: Array<() => Promise<unknown>> = [];
    let schema: string;
    let prefix: string;
    let sql: SqlClient;
    let store: PaymentStore;
    let va: AdapterHarness<VaSimulator>;
    let proxy: TcpProxy;

    beforeEach(async () => {
      schema = uniqueTestSchema();
      prefix = `paymesh.test.${randomUUID()}.`;
      sql = createPgSqlClient({ databaseUrl: database, schema });
      let storeNow = clock.now();
      store = await createSqlPaymentStore({ sql, clock: () => storeNow });
      va = await startAdapterHarness(
        () => createVaSimulator({ clock: clock.now }),
        (simulator) =>
          createMidtransVaProvider({
            client: createMidtransClient({ baseUrl: simulator.url, serverKey: simulatorDefaults.serverKey }),
            serverKey: simulatorDefaults.serverKey,
            version: "test",
          }),
      );
      proxy = await startTcpProxy(va.adapter.address);
      cleanups.push(
        () => dropTestSchema(database, schema),
        () => store.close(),
        () => va.close(),
        () => proxy.close(),
      );
      if (amqpUrl !== undefined) {
        cleanups.push(
          () => deleteWorkQueue(amqpUrl, `${prefix}paymesh.recon`, RETRY_DELAYS_MS),
          () => deleteExchange(amqpUrl, `${prefix}payments.recon`),
        );
      }
      // Three VA payments paid on the day, recorded as the router would have.
      const fixtures = createPaymentFixtures();
      for (const rupiah of [150_000n, 20_000n, 75_000n]) {
        const paymentId = newPaymentId();
        const amount = { currency: "IDR", minorUnits: rupiah * 100n };
        const created = await va.client.createPayment(
          { paymentId, amount, method: { case: "virtualAccount", value: { bank: VirtualAccountBank.BCA } } },
          { deadline: new Date(Date.now() + 10_000) },
        );
        await va.simulator.pay(paymentId);
        storeNow = clock.now();
        await store.insert(
          fixtures.payment({
            id: paymentId,
            adapter: "va",
            providerReference: created.payment?.providerReference ?? "",
            amount,
            createdAt: storeNow,
            updatedAt: storeNow,
          }),
        );
        await store.update(paymentId, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
        clock.advance(60_000);
      }
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    const start = () =>
      startService<Announced>(MAIN, {
        DATABASE_URL: database,
        PAYMESH_DB_SCHEMA: schema,
        ...(amqpUrl === undefined ? {} : { AMQP_URL: amqpUrl }),
        PAYMESH_AMQP_PREFIX: prefix,
        LOG_LEVEL: "warn",
        PAYMESH_RECON_CONFIG: JSON.stringify({
          adapters: {
            va: {
              address: proxy.address,
              provider: "midtrans",
              settlementLagMs: 0,
              fees: [{ currency: "IDR", flatMinor: "400000", taxPpm: 110_000 }],
            },
          },
          lookBackDays: 1,
          retryDelaysMs: RETRY_DELAYS_MS,
          maxAttempts: 50,
        }),
      });

    async function theRun() {
      const rows = await sql.query(
        `SELECT r.id, r.status, r.attempts, r.line_count,
           (SELECT count(*)::int FROM recon_verdicts v WHERE v.run_id = r.id AND v.class = 'matched') AS matched,
           (SELECT count(*)::int FROM recon_verdicts v WHERE v.run_id = r.id) AS verdicts
         FROM recon_runs r WHERE r.adapter = 'va' AND r.business_date = $1::date`,
        [DAY],
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : {
            status: readText(row, "status"),
            attempts: Number(row.attempts),
            lines: row.line_count === null ? undefined : Number(row.line_count),
            matched: Number(row.matched),
            verdicts: Number(row.verdicts),
          };
    }

    it("announces itself, runs the due day, serves health and metrics, and exits 0 on SIGTERM", async () => {
      const reconciler = await start();
      cleanups.push(async () => reconciler.kill());
      expect(reconciler.ready).toMatchObject({
        service: "reconciler",
        queue: amqpUrl ? "rabbitmq" : "in process",
        adapters: ["va"],
      });
      await waitFor(
        async () => ((await theRun())?.status === "completed" ? true : undefined),
        20_000,
        "the run",
      );
      // Three payment lines and the report's trailer, all matched.
      expect(await theRun()).toEqual({ status: "completed", attempts: 1, lines: 4, matched: 4, verdicts: 4 });
      expect((await fetch(`${reconciler.ready.http}/healthz`)).status).toBe(200);
      expect((await fetch(`${reconciler.ready.http}/readyz`)).status).toBe(200);
      // The run's row says completed as its transaction commits; the worker counts it just after.
      const counted = 'paymesh_reconciliation_runs_total{adapter="va",outcome="completed"} 1';
      const metrics = await waitFor(
        async () => {
          const text = await (await fetch(`${reconciler.ready.http}/metrics`)).text();
          return text.includes(counted) ? text : undefined;
        },
        10_000,
        "the completed run counted",
      );
      expect(metrics).toContain(counted);
      expect(await reconciler.stop()).toBe(0);
    });

    it.runIf(amqpUrl !== undefined)(
      "hands a run whose reconciler was killed midway to the next one, which completes it once",
      async () => {
        // The adapter takes the request and its answer never comes: the first reconciler is mid-run.
        proxy.stall("responses");
        const first = await start();
        cleanups.push(async () => first.kill());
        await waitFor(() => (proxy.heldBytes > 0 ? true : undefined), 20_000, "the report call");
        await waitFor(
          async () => ((await runLocked(sql, schema)) ? true : undefined),
          10_000,
          "the run's lock",
        );
        first.kill();
        await waitFor(() =>
          first.child.exitCode !== null || first.child.signalCode !== null ? true : undefined,
        );
        proxy.restore({ dropHeld: true });

        const second = await start();
        cleanups.push(async () => second.kill());
        await waitFor(
          async () => ((await theRun())?.status === "completed" ? true : undefined),
          30_000,
          "the run",
        );
        // One completed attempt (the killed one never finished), each line once.
        expect(await theRun()).toEqual({
          status: "completed",
          attempts: 1,
          lines: 4,
          matched: 4,
          verdicts: 4,
        });
        // Only the second reconciler got as far as reading the report.
        expect(va.simulator.stats().requests.settlements).toBe(1);
        expect(await second.stop()).toBe(0);
      },
    );

    it.runIf(amqpUrl !== undefined)(
      "drains on SIGTERM mid-run: exits 0, leaves nothing half-done, and the job goes back to the queue",
      async () => {
        proxy.stall("responses");
        const first = await start();
        cleanups.push(async () => first.kill());
        await waitFor(
          async () => ((await runLocked(sql, schema)) ? true : undefined),
          20_000,
          "the run's lock",
        );
        expect(await first.stop()).toBe(0);
        expect(await runLocked(sql, schema)).toBe(false);
        expect((await theRun())?.status).not.toBe("completed");
        proxy.restore({ dropHeld: true });

        const second = await start();
        cleanups.push(async () => second.kill());
        await waitFor(
          async () => ((await theRun())?.status === "completed" ? true : undefined),
          30_000,
          "the run",
        );
        expect(await theRun()).toMatchObject({ status: "completed", lines: 4, matched: 4, verdicts: 4 });
        expect(await second.stop()).toBe(0);
      },
    );
  },
);

/**
 * Whether a session holds the advisory lock of the day's run, the engine's sign of a run in
 * progress (`paymesh:<schema>:recon-run:<id>`, hashed into a bigint pg_locks shows in two halves).
 */
async function runLocked(sql: SqlClient, schema: string): Promise<boolean> {
  const rows = await sql.query(
    `SELECT count(*)::int AS n FROM pg_locks l, recon_runs r
     WHERE r.adapter = 'va' AND l.locktype = 'advisory' AND l.granted
       AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('paymesh:' || $1 || ':recon-run:' || r.id, 0)`,
    [schema],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
