// The reconciler as it runs, for each of the four adapters: its scheduler creates the day's run,
// its worker reads the adapter's settlement report over gRPC from the provider's simulator, the
// engine judges it against payments in the store, and each discrepancy is published to
// payments.recon and counted. Real Postgres and RabbitMQ when DATABASE_URL and AMQP_URL are set,
// else PGlite and the in-process queue: the same contract.
import {
  everyDiscrepancy,
  makeDiscrepancyTargets,
  setUpSettlementReport,
} from "@paymesh/adapter-kit/testing";
import {
  createMemoryEventPublisher,
  createMemoryWorkQueue,
  createRabbitEventPublisher,
  createRabbitWorkQueue,
  type EventPublisher,
  type WorkQueue,
} from "@paymesh/queue";
import {
  amqpUrlForTests,
  deleteExchange,
  deleteWorkQueue,
  observeExchange,
  uniqueTestName,
} from "@paymesh/queue/testing";
import {
  type DiscrepancyEvent,
  loadReconSettings,
  type ReconAdapterConfig,
  type RunningReconciler,
  startReconcilerService,
} from "@paymesh/reconciler";
import {
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  type PaymentStore,
  readText,
  type SqlClient,
} from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { createTestClock, startTcpProxy, type TcpProxy, waitFor } from "@paymesh/test-kit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type MadePayment,
  RECON_ADAPTERS,
  type ReconAdapter,
  type ReconHarness,
} from "../support/recon-adapters.ts";

const databaseUrl = postgresUrlForTests();
const amqpUrl = amqpUrlForTests();
const DAY = "2026-12-03";
// 10:00 WIB (03:00 UTC) on the day.
const MORNING = new Date("2026-12-03T03:00:00Z");
// 00:30 WIB on the 5th: the day is each adapter's latest due one (the look-back is one day). Due
// from 00:00 WIB on the 5th for QRIS and VA (WIB, T+1), from 01:00 UTC on the 4th for remittance
// (UTC, an hour), and until 01:00 WIB on the 5th for transfer (WIB, an hour), whose next day is
// due then; past the 15 minutes of cut-off skew, so a missing payment is a discrepancy.
const RUN_AT = new Date("2026-12-04T17:30:00Z");
const RETRY_MS = 200;

/** The store, the queue and the exchange the reconcilers share, and what was published. */
interface Shared {
  /** A database client as one reconciler process would have it (its own pool on Postgres). */
  sql(): SqlClient;
  storeSql: SqlClient;
  /** The `paymesh.recon` queue as one reconciler would open it. */
  queue(): Promise<WorkQueue>;
  events(): Promise<EventPublisher>;
  /** Every event published so far: routing key, body, and how many copies arrived. */
  published(): Array<{ routingKey: string; id: string; event: DiscrepancyEvent; copies: number }>;
  close(): Promise<void>;
}

async function openShared(): Promise<Shared> {
  const cleanups: Array<() => Promise<unknown>> = [];
  let sql: () => SqlClient;
  let storeSql: SqlClient;
  if (databaseUrl !== undefined) {
    const schema = uniqueTestSchema();
    storeSql = createPgSqlClient({ databaseUrl, schema });
    sql = () => {
      const client = createPgSqlClient({ databaseUrl, schema });
      cleanups.push(() => client.close());
      return client;
    };
    cleanups.push(() => dropTestSchema(databaseUrl, schema));
  } else {
    // PGlite is one connection in one process: every reconciler of the test shares it.
    storeSql = await createPgliteSqlClient();
    sql = () => storeSql;
  }
  const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as DiscrepancyEvent;
  if (amqpUrl !== undefined) {
    const name = uniqueTestName("recon");
    const exchange = uniqueTestName("recon-events");
    const observer = await observeExchange(amqpUrl, exchange);
    cleanups.push(
      () => deleteWorkQueue(amqpUrl, name, [RETRY_MS]),
      () => deleteExchange(amqpUrl, exchange),
      () => observer.close(),
    );
    const opened = async <T extends { close(): Promise<void> }>(value: Promise<T>) => {
      const resolved = await value;
      cleanups.push(() => resolved.close());
      return resolved;
    };
    return {
      sql,
      storeSql,
      queue: () =>
        opened(createRabbitWorkQueue({ url: amqpUrl, name, retryDelaysMs: [RETRY_MS], maxAttempts: 100 })),
      events: () => opened(createRabbitEventPublisher({ url: amqpUrl, exchange })),
      published: () =>
        [...observer.received].map(([id, message]) => ({
          id,
          routingKey: message.routingKey,
          event: decode(message.body),
          copies: message.copies,
        })),
      close: () => runAll(cleanups),
    };
  }
  const queue = createMemoryWorkQueue({ name: "paymesh.recon", retryDelaysMs: [RETRY_MS], maxAttempts: 100 });
  const events = createMemoryEventPublisher();
  return {
    sql,
    storeSql,
    queue: async () => queue,
    events: async () => events,
    published: () => {
      const copies = new Map<string, number>();
      for (const event of events.published()) copies.set(event.id, (copies.get(event.id) ?? 0) + 1);
      return [...new Map(events.published().map((event) => [event.id, event])).values()].map((event) => ({
        id: event.id,
        routingKey: event.routingKey,
        event: decode(event.body),
        copies: copies.get(event.id) ?? 0,
      }));
    },
    close: async () => {
      await queue.close();
      await runAll(cleanups);
    },
  };
}

async function runAll(cleanups: Array<() => Promise<unknown>>): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** The counters of `name` in a /metrics text, as `labels value` lines. */
function counted(text: string, name: string): string[] {
  return [...text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\d+)`, "gm"))].map(
    ([, labels, value]) => `${labels} ${value}`,
  );
}

/**
 * The reconciler's view of `adapter` at `address`, on the terms its simulator declares, read the
 * way the reconciler reads PAYMESH_RECON_CONFIG.
 */
function reconAdapterConfig(adapter: ReconAdapter, address: string): ReconAdapterConfig {
  const settings = loadReconSettings({
    PAYMESH_RECON_CONFIG: JSON.stringify({ adapters: { [adapter.name]: { address, ...adapter.terms } } }),
  });
  const config = settings.adapters[adapter.name];
  if (config === undefined) throw new Error(`no settings read for ${adapter.name}`);
  return config;
}

/** The store, the queue and the publisher of one test, and the adapter in front of its simulator. */
function reconcilerFixture(adapter: ReconAdapter) {
  const clock = createTestClock(MORNING);
  const fixtures = createPaymentFixtures();
  let storeNow = MORNING;
  const reconcilers: RunningReconciler[] = [];
  const state = {} as { shared: Shared; store: PaymentStore; harness: ReconHarness };

  beforeEach(async () => {
    clock.set(MORNING);
    state.shared = await openShared();
    state.store = await createSqlPaymentStore({ sql: state.shared.storeSql, clock: () => storeNow });
    state.harness = await adapter.start(clock.now);
  });
  afterEach(async () => {
    for (const reconciler of reconcilers.splice(0)) await reconciler.close();
    await state.harness.close();
    await state.store.close();
    await state.shared.close();
  });

  return {
    clock,
    get shared() {
      return state.shared;
    },
    get harness() {
      return state.harness;
    },
    /** A reconciler process's worth: its own database client, queue connection and publisher. */
    async startReconciler(
      overrides: { address?: string; provider?: string } = {},
    ): Promise<RunningReconciler> {
      const config = reconAdapterConfig(adapter, overrides.address ?? state.harness.address);
      const reconciler = await startReconcilerService(
        { sql: state.shared.sql(), queue: await state.shared.queue(), events: await state.shared.events() },
        {
          adapters: {
            [adapter.name]: {
              ...config,
              ...(overrides.provider === undefined ? {} : { provider: overrides.provider }),
            },
          },
          lookBackDays: 1,
          // The tick at start is the one that matters here.
          intervalMs: 3_600_000,
          clock: clock.now,
        },
      );
      reconcilers.push(reconciler);
      return reconciler;
    },
    /** Records `made` in our store the way the router would have, at the simulator's time. */
    async record(made: MadePayment): Promise<MadePayment> {
      storeNow = clock.now();
      await state.store.insert(
        fixtures.payment({
          id: made.paymentId,
          adapter: adapter.name,
          providerReference: made.providerReference,
          amount: made.amount,
          createdAt: storeNow,
          updatedAt: storeNow,
        }),
      );
      await state.store.update(made.paymentId, 1, { status: made.status }, "webhook");
      clock.advance(60_000);
      return made;
    },
    async runRow() {
      const rows = await state.shared.storeSql.query(
        "SELECT id, status, attempts, failure FROM recon_runs WHERE adapter = $1 AND business_date = $2::date",
        [adapter.name, DAY],
      );
      return rows.map((row) => ({
        id: String(row.id),
        status: readText(row, "status"),
        attempts: Number(row.attempts),
        failure: row.failure === null ? undefined : readText(row, "failure"),
      }));
    },
    /** Waits until the day's run has completed, then returns its discrepancies as (class, payment). */
    async completedRun() {
      await waitFor(
        async () => ((await this.runRow())[0]?.status === "completed" ? true : undefined),
        30_000,
        "the run completed",
      );
      const [run] = await this.runRow();
      const rows = await state.shared.storeSql.query(
        `SELECT class, payment_id FROM recon_verdicts WHERE run_id = $1 AND discrepancy
         ORDER BY class, payment_id`,
        [run?.id ?? "0"],
      );
      const discrepancies = rows.map((row) => ({
        class: readText(row, "class"),
        ...(row.payment_id === null ? {} : { paymentId: readText(row, "payment_id") }),
      }));
      return { run, discrepancies };
    },
  };
}

const backendsName = `${databaseUrl ? "Postgres" : "PGlite"} with ${amqpUrl ? "RabbitMQ" : "the in-process queue"}`;

describe.each(RECON_ADAPTERS.map((adapter) => [adapter.name, adapter] as const))(
  `the reconciler reading %s's report on ${backendsName}`,
  (_name, adapter) => {
    const fixture = reconcilerFixture(adapter);

    it("finds nothing to say about a day the provider settled exactly as we recorded it", async () => {
      for (const n of [0, 1, 2]) await fixture.record(await fixture.harness.settled(n));
      await fixture.record(await fixture.harness.unsettled()); // never settled, never ours to account for
      fixture.clock.set(RUN_AT);
      // Its first tick, at start, finds the day due.
      await fixture.startReconciler();
      const { run, discrepancies } = await fixture.completedRun();
      expect(run).toMatchObject({ status: "completed", attempts: 1 });
      expect(discrepancies).toEqual([]);
      const verdicts = await fixture.shared.storeSql.query(
        "SELECT class, count(*)::int AS n FROM recon_verdicts WHERE run_id = $1 GROUP BY class",
        [run?.id ?? "0"],
      );
      // Three payment lines, and the report's trailer where it declares one, each matched.
      expect(verdicts.map((row) => [row.class, row.n])).toEqual([["matched", adapter.batchTotals ? 4 : 3]]);
      expect(fixture.shared.published()).toEqual([]);
    });

    it("with two reconcilers up, runs the day once and reports each injected class once: a verdict, an event, a count", async () => {
      const made = new Map<string, MadePayment>();
      const byReference = async (payment: Promise<MadePayment>) => {
        const recorded = await fixture.record(await payment);
        made.set(recorded.providerReference, recorded);
        return recorded.providerReference;
      };
      const targets = await makeDiscrepancyTargets(
        (n) => byReference(fixture.harness.settled(n)),
        () => byReference(fixture.harness.unsettled()),
      );
      await setUpSettlementReport(fixture.harness.simulatorUrl, {
        date: DAY,
        discrepancies: everyDiscrepancy(targets, { batchTotals: adapter.batchTotals }),
      });
      const id = (reference: string) => made.get(reference)?.paymentId ?? "";
      fixture.clock.set(RUN_AT);
      // Both tick at start, at the same time.
      const [first, second] = await Promise.all([fixture.startReconciler(), fixture.startReconciler()]);

      const { run, discrepancies } = await fixture.completedRun();
      expect(run).toMatchObject({ status: "completed", attempts: 1 });
      const expected = [
        { class: "amount_mismatch", paymentId: id(targets.amount) },
        ...(adapter.batchTotals ? [{ class: "batch_total_mismatch" }] : []),
        { class: "currency_mismatch", paymentId: id(targets.currency) },
        { class: "duplicate_settlement", paymentId: id(targets.duplicate) },
        { class: "fee_mismatch", paymentId: id(targets.fee) },
        // The garbled line cannot settle its payment: that payment is unsettled as far as we know.
        { class: "missing_at_provider", paymentId: id(targets.garbled) },
        { class: "missing_at_provider", paymentId: id(targets.missing) },
        { class: "missing_internal" },
        { class: "status_mismatch", paymentId: id(targets.unsettled) },
        // Money given back (a refund; a reversal, or Midtrans's chargeback) that we have no record of.
        { class: "unrecorded_refund", paymentId: id(targets.refunded) },
        { class: "unrecorded_refund", paymentId: id(targets.reversed) },
        { class: "unreadable" },
      ];
      const order = (a: { class: string; paymentId?: string }, b: { class: string; paymentId?: string }) =>
        a.class.localeCompare(b.class) || (a.paymentId ?? "").localeCompare(b.paymentId ?? "");
      expect([...discrepancies].sort(order)).toEqual(expected.sort(order));

      await waitFor(
        () => (fixture.shared.published().length === discrepancies.length ? true : undefined),
        10_000,
        "every event",
      );
      const published = fixture.shared.published();
      expect(published.every((message) => message.copies === 1)).toBe(true);
      expect(published.map((message) => message.routingKey).sort()).toEqual(
        expected.map((discrepancy) => `${adapter.name}.${discrepancy.class}`).sort(),
      );
      const amount = made.get(targets.amount);
      expect(published.find((message) => message.event.class === "amount_mismatch")?.event).toEqual(
        expect.objectContaining({
          adapter: adapter.name,
          businessDate: DAY,
          paymentId: amount?.paymentId,
          currency: "IDR",
          ourAmountMinor: String(amount?.amount.minorUnits),
          theirAmountMinor: String((amount?.amount.minorUnits ?? 0n) + 100_000n),
        }),
      );
      expect(JSON.stringify(published)).not.toContain("raw");
      const metrics = [
        await (await fetch(`${first.httpUrl}/metrics`)).text(),
        await (await fetch(`${second.httpUrl}/metrics`)).text(),
      ];
      const perClass = new Map<string, number>();
      for (const { class: name } of expected) perClass.set(name, (perClass.get(name) ?? 0) + 1);
      expect(
        metrics.flatMap((text) => counted(text, "paymesh_reconciliation_discrepancies_total")).sort(),
      ).toEqual([...perClass].map(([name, n]) => `adapter="${adapter.name}",class="${name}" ${n}`).sort());
      expect(metrics.flatMap((text) => counted(text, "paymesh_reconciliation_runs_total"))).toEqual([
        `adapter="${adapter.name}",outcome="completed" 1`,
      ]);
    });
  },
);

// What the service does when an adapter fails it is the same for every adapter: shown on one.
const va = RECON_ADAPTERS.find((adapter) => adapter.name === "va") as ReconAdapter;

describe(`the reconciler facing a failing adapter on ${backendsName}`, () => {
  const fixture = reconcilerFixture(va);
  let proxy: TcpProxy;
  beforeEach(async () => {
    proxy = await startTcpProxy(fixture.harness.address);
  });
  afterEach(() => proxy.close());

  it("fails the run while the adapter cannot be reached, says why, and completes it once it is back", async () => {
    const paid = await fixture.record(await fixture.harness.settled(0));
    fixture.clock.set(RUN_AT);
    proxy.cut();
    await fixture.startReconciler({ address: proxy.address });
    await waitFor(
      async () => (((await fixture.runRow())[0]?.attempts ?? 0) >= 2 ? true : undefined),
      20_000,
      "two failed attempts",
    );
    const [failed] = await fixture.runRow();
    expect(failed?.status).toBe("failed");
    expect(failed?.failure).toMatch(/^adapter "va" at 127\.0\.0\.1:\d+ did not give its report: UNAVAILABLE/);
    proxy.restore();
    const { run, discrepancies } = await fixture.completedRun();
    expect(run?.attempts).toBeGreaterThanOrEqual(3);
    expect(run?.failure).toBeUndefined();
    expect(discrepancies).toEqual([]);
    const settled = await fixture.shared.storeSql.query(
      "SELECT class FROM recon_verdicts WHERE run_id = $1 AND payment_id = $2",
      [run?.id ?? "0", paid.paymentId],
    );
    expect(settled.map((row) => row.class)).toEqual(["matched"]);
  });

  it("refuses the report of an adapter that speaks for another provider", async () => {
    await fixture.record(await fixture.harness.settled(0));
    fixture.clock.set(RUN_AT);
    await fixture.startReconciler({ provider: "xendit" });
    await waitFor(
      async () => ((await fixture.runRow())[0]?.status === "failed" ? true : undefined),
      10_000,
      "the run failed",
    );
    expect((await fixture.runRow())[0]?.failure).toMatch(/speaks for provider "midtrans", not "xendit"$/);
    const lines = await fixture.shared.storeSql.query(
      "SELECT count(*)::int AS n FROM recon_lines l JOIN recon_runs r ON r.id = l.run_id WHERE r.adapter = 'va'",
    );
    expect(lines[0]?.n).toBe(0);
  });
});
