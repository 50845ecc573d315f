// The reconciler as it runs: its scheduler creates the day's run, its worker reads the VA adapter's
// settlement report over gRPC from the Midtrans simulator, the engine judges it against payments
// in the store, and each discrepancy is published to payments.recon. Real Postgres and RabbitMQ
// when DATABASE_URL and AMQP_URL are set, else PGlite and the in-process queue: the same contract.
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import { createMidtransClient, createMidtransVaProvider } from "@paymesh/adapter-va";
import { createVaSimulator, simulatorDefaults, type VaSimulator } from "@paymesh/adapter-va/sandbox";
import { PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
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

const databaseUrl = postgresUrlForTests();
const amqpUrl = amqpUrlForTests();
const DAY = "2026-12-03";
const DAY_MS = 24 * 60 * 60 * 1000;
// 10:00 WIB on the day; the run is due at its end (17:00Z) plus the VA's T+1 lag.
const MORNING = new Date("2026-12-03T03:00:00Z");
const RUN_AT = new Date("2026-12-05T00:00:00Z");
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

describe(`the reconciler on ${databaseUrl ? "Postgres" : "PGlite"} with ${amqpUrl ? "RabbitMQ" : "the in-process queue"}`, () => {
  const clock = createTestClock(MORNING);
  let storeNow = MORNING;
  let shared: Shared;
  let store: PaymentStore;
  let va: AdapterHarness<VaSimulator>;
  let proxy: TcpProxy;
  const reconcilers: RunningReconciler[] = [];
  const fixtures = createPaymentFixtures();

  beforeEach(async () => {
    clock.set(MORNING);
    shared = await openShared();
    store = await createSqlPaymentStore({ sql: shared.storeSql, clock: () => storeNow });
    va = await startAdapterHarness(
      () => createVaSimulator({ clock: clock.now }),
      (simulator) =>
        createMidtransVaProvider({
          client: createMidtransClient({
            baseUrl: simulator.url,
            serverKey: simulatorDefaults.serverKey,
            clock: clock.now,
          }),
          serverKey: simulatorDefaults.serverKey,
          version: "test",
          clock: clock.now,
        }),
    );
    proxy = await startTcpProxy(va.adapter.address);
  });
  afterEach(async () => {
    for (const reconciler of reconcilers.splice(0)) await reconciler.close();
    await proxy.close();
    await va.close();
    await store.close();
    await shared.close();
  });

  /** A reconciler process's worth: its own database client, queue connection and publisher. */
  async function startReconciler(adapter: Partial<ReconAdapterConfig> = {}): Promise<RunningReconciler> {
    const reconciler = await startReconcilerService(
      { sql: shared.sql(), queue: await shared.queue(), events: await shared.events() },
      {
        adapters: {
          va: {
            address: proxy.address,
            provider: "midtrans",
            // Rp4.000 per VA and PPN 11% on it, the simulator's (and Midtrans's published) price.
            terms: {
              timeZone: "Asia/Jakarta",
              settlementLagMs: DAY_MS,
              fees: [{ currency: "IDR", flatMinor: 400_000n, taxPpm: 110_000 }],
            },
            ...adapter,
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
  }

  /**
   * A VA payment of `rupiah` made through the adapter and the simulator, recorded in our store
   * the way the router would: the adapter's reference, and `status` at the simulator's time.
   */
  async function payment(rupiah: bigint, status = PaymentStatus.SUCCEEDED): Promise<string> {
    const paymentId = newPaymentId();
    const amount = { currency: "IDR", minorUnits: rupiah * 100n };
    const created = await va.client.createPayment(
      { paymentId, amount, method: { case: "virtualAccount", value: { bank: VirtualAccountBank.BCA } } },
      { deadline: new Date(Date.now() + 10_000) },
    );
    if (status === PaymentStatus.SUCCEEDED) await va.simulator.pay(paymentId);
    if (status === PaymentStatus.EXPIRED) await va.simulator.expire(paymentId);
    const record = fixtures.payment({
      id: paymentId,
      adapter: "va",
      providerReference: created.payment?.providerReference ?? "",
      amount,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    storeNow = clock.now();
    await store.insert(record);
    await store.update(paymentId, 1, { status }, "webhook");
    clock.advance(60_000);
    return paymentId;
  }

  async function setUpReport(body: unknown): Promise<void> {
    const answer = await fetch(`${va.simulator.url}/sim/settlement-report`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
  }

  async function runRow() {
    const rows = await shared.storeSql.query(
      "SELECT id, status, attempts, failure FROM recon_runs WHERE adapter = 'va' AND business_date = $1::date",
      [DAY],
    );
    return rows.map((row) => ({
      id: String(row.id),
      status: readText(row, "status"),
      attempts: Number(row.attempts),
      failure: row.failure === null ? undefined : readText(row, "failure"),
    }));
  }

  /** Waits until the day's run has completed, then returns its discrepancies as (class, subject). */
  async function completedRun() {
    await waitFor(
      async () => ((await runRow())[0]?.status === "completed" ? true : undefined),
      30_000,
      "the run completed",
    );
    const [run] = await runRow();
    const rows = await shared.storeSql.query(
      `SELECT v.class, v.payment_id, l.type, l.provider_reference FROM recon_verdicts v
       LEFT JOIN recon_lines l ON l.run_id = v.run_id AND l.line_no = v.line_no
       WHERE v.run_id = $1 AND v.discrepancy ORDER BY v.class, v.payment_id`,
      [run?.id ?? "0"],
    );
    const discrepancies = rows.map((row) => ({
      class: readText(row, "class"),
      ...(row.payment_id === null ? {} : { paymentId: readText(row, "payment_id") }),
      ...(row.type === null ? {} : { type: readText(row, "type") }),
    }));
    return { run, discrepancies };
  }

  it("finds nothing to say about a day the provider settled exactly as we recorded it", async () => {
    for (const rupiah of [150_000n, 20_000n, 1_000_000n]) await payment(rupiah);
    await payment(30_000n, PaymentStatus.EXPIRED); // never settled, never ours to account for
    clock.set(RUN_AT);
    // Its first tick, at start, finds the day due.
    await startReconciler();
    const { run, discrepancies } = await completedRun();
    expect(run).toMatchObject({ status: "completed", attempts: 1 });
    expect(discrepancies).toEqual([]);
    const verdicts = await shared.storeSql.query(
      "SELECT class, count(*)::int AS n FROM recon_verdicts WHERE run_id = $1 GROUP BY class",
      [run?.id ?? "0"],
    );
    // Three payment lines and the report's trailer, each matched.
    expect(verdicts.map((row) => [row.class, row.n])).toEqual([["matched", 4]]);
    expect(shared.published()).toEqual([]);
  });

  it("with two reconcilers up, runs the day once and reports each injected class as one event", async () => {
    const [missing, amount, currency, fee, duplicate, refunded, reversed, garbled] = [
      await payment(10_000n),
      await payment(11_000n),
      await payment(12_000n),
      await payment(13_000n),
      await payment(14_000n),
      await payment(15_000n),
      await payment(16_000n),
      await payment(17_000n),
    ];
    const expired = await payment(18_000n, PaymentStatus.EXPIRED);
    await setUpReport({
      date: DAY,
      discrepancies: [
        { class: "missing-line", target: missing },
        { class: "extra-line", amount: 5_000_000 },
        { class: "amount-changed", target: amount, delta: 100_000 },
        { class: "currency-changed", target: currency, currency: "USD" },
        { class: "status-mismatch", target: expired },
        { class: "fee-changed", target: fee, delta: 50_000 },
        { class: "duplicate-line", target: duplicate },
        { class: "refund-without-record", target: refunded },
        { class: "reversal-without-record", target: reversed },
        { class: "batch-total-wrong", delta: 700 },
        { class: "unreadable-line", target: garbled },
      ],
    });
    clock.set(RUN_AT);
    // Both tick at start, at the same time.
    const [first, second] = await Promise.all([startReconciler(), startReconciler()]);

    const { run, discrepancies } = await completedRun();
    expect(run).toMatchObject({ status: "completed", attempts: 1 });
    expect(discrepancies).toEqual(
      [
        { class: "amount_mismatch", paymentId: amount, type: "payment" },
        { class: "batch_total_mismatch" },
        { class: "currency_mismatch", paymentId: currency, type: "payment" },
        { class: "duplicate_settlement", paymentId: duplicate, type: "payment" },
        { class: "fee_mismatch", paymentId: fee, type: "payment" },
        // The garbled line cannot settle its payment: that payment is unsettled as far as we know.
        { class: "missing_at_provider", paymentId: garbled },
        { class: "missing_at_provider", paymentId: missing },
        { class: "missing_internal", type: "payment" },
        { class: "status_mismatch", paymentId: expired, type: "payment" },
        // Midtrans books money taken back from a settled VA as a chargeback.
        { class: "unrecorded_refund", paymentId: reversed, type: "chargeback" },
        { class: "unrecorded_refund", paymentId: refunded, type: "refund" },
        { class: "unreadable" },
      ].sort(
        (a, b) => a.class.localeCompare(b.class) || (a.paymentId ?? "").localeCompare(b.paymentId ?? ""),
      ),
    );

    await waitFor(
      () => (shared.published().length === discrepancies.length ? true : undefined),
      10_000,
      "every event",
    );
    const published = shared.published();
    expect(published.every((message) => message.copies === 1)).toBe(true);
    expect(published.map((message) => message.routingKey).sort()).toEqual(
      discrepancies.map((discrepancy) => `va.${discrepancy.class}`).sort(),
    );
    const amountEvent = published.find((message) => message.event.class === "amount_mismatch")?.event;
    expect(amountEvent).toMatchObject({
      adapter: "va",
      businessDate: DAY,
      paymentId: amount,
      currency: "IDR",
      ourAmountMinor: "1100000",
      theirAmountMinor: "1200000",
    });
    expect(JSON.stringify(published)).not.toContain("raw");
    const metrics = await (await fetch(`${first.httpUrl}/metrics`)).text();
    const other = await (await fetch(`${second.httpUrl}/metrics`)).text();
    const counted = (text: string, name: string) =>
      [...text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\d+)`, "gm"))].map(
        ([, labels, value]) => `${labels} ${value}`,
      );
    expect(
      [
        ...counted(metrics, "paymesh_reconciliation_discrepancies_total"),
        ...counted(other, "paymesh_reconciliation_discrepancies_total"),
      ].sort(),
    ).toEqual([
      'adapter="va",class="amount_mismatch" 1',
      'adapter="va",class="batch_total_mismatch" 1',
      'adapter="va",class="currency_mismatch" 1',
      'adapter="va",class="duplicate_settlement" 1',
      'adapter="va",class="fee_mismatch" 1',
      'adapter="va",class="missing_at_provider" 2',
      'adapter="va",class="missing_internal" 1',
      'adapter="va",class="status_mismatch" 1',
      'adapter="va",class="unreadable" 1',
      'adapter="va",class="unrecorded_refund" 2',
    ]);
    expect([
      ...counted(metrics, "paymesh_reconciliation_runs_total"),
      ...counted(other, "paymesh_reconciliation_runs_total"),
    ]).toEqual(['adapter="va",outcome="completed" 1']);
  });

  it("fails the run while the adapter cannot be reached, says why, and completes it once it is back", async () => {
    const paid = await payment(150_000n);
    clock.set(RUN_AT);
    proxy.cut();
    await startReconciler();
    await waitFor(
      async () => (((await runRow())[0]?.attempts ?? 0) >= 2 ? true : undefined),
      20_000,
      "two failed attempts",
    );
    const [failed] = await runRow();
    expect(failed?.status).toBe("failed");
    expect(failed?.failure).toMatch(/^adapter "va" at 127\.0\.0\.1:\d+ did not give its report: UNAVAILABLE/);
    proxy.restore();
    const { run, discrepancies } = await completedRun();
    expect(run?.attempts).toBeGreaterThanOrEqual(3);
    expect(run?.failure).toBeUndefined();
    expect(discrepancies).toEqual([]);
    const settled = await shared.storeSql.query(
      "SELECT class FROM recon_verdicts WHERE run_id = $1 AND payment_id = $2",
      [run?.id ?? "0", paid],
    );
    expect(settled.map((row) => row.class)).toEqual(["matched"]);
  });

  it("refuses the report of an adapter that speaks for another provider", async () => {
    await payment(150_000n);
    clock.set(RUN_AT);
    await startReconciler({ provider: "xendit" });
    await waitFor(
      async () => ((await runRow())[0]?.status === "failed" ? true : undefined),
      10_000,
      "the run failed",
    );
    expect((await runRow())[0]?.failure).toMatch(/speaks for provider "midtrans", not "xendit"$/);
    const lines = await shared.storeSql.query(
      "SELECT count(*)::int AS n FROM recon_lines l JOIN recon_runs r ON r.id = l.run_id WHERE r.adapter = 'va'",
    );
    expect(lines[0]?.n).toBe(0);
  });
});
