// Webhooks end to end (issue 6): the QRIS simulator and adapter run as processes, the router runs
// in this process over a real store (PGlite, or Postgres with DATABASE_URL) and a real work queue
// and event exchange (in process, or RabbitMQ with AMQP_URL), so the test can read what matters:
// the journal, the recorded provider events, the outbox and the dead letters.

import { randomUUID } from "node:crypto";
import { fromBinary } from "@bufbuild/protobuf";
import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1, PaymentEventSchema, PaymentStatus } from "@paymesh/proto";
import {
  createMemoryEventPublisher,
  createMemoryWorkQueue,
  createRabbitEventPublisher,
  createRabbitWorkQueue,
  type EventPublisher,
  type MemoryEventPublisher,
  type WorkQueue,
} from "@paymesh/queue";
import {
  amqpTarget,
  amqpUrlForTests,
  deleteExchange,
  deleteWorkQueue,
  type ExchangeObserver,
  observeExchange,
  proxiedAmqpUrl,
} from "@paymesh/queue/testing";
import { createIdGenerator, type RunningRouter, resolveRouterConfig, startRouter } from "@paymesh/router";
import { openPaymentStore, type PaymentStore } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { createLogger } from "@paymesh/telemetry";
import { promtoolProblems, sampleValue, seriesOf } from "@paymesh/telemetry/testing";
import { startTcpProxy, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema } from "../support/backends.ts";
import { runPaymesh } from "../support/cli-process.ts";
import { rejection } from "../support/error-details.ts";
import {
  type AdapterProcess,
  type SimulatorProcess,
  startQrisAdapter,
  startQrisSimulator,
} from "../support/mesh-processes.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";

const databaseUrl = process.env.DATABASE_URL || undefined;
const amqpUrl = amqpUrlForTests();
if (process.env.PAYMESH_REQUIRE_BACKENDS === "1" && databaseUrl === undefined) {
  throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but DATABASE_URL is not set");
}
const run = randomUUID().replaceAll("-", "").slice(0, 12);
const schema = `webhooks_${run}`;
const queueName = `paymesh.test.webhooks.${run}`;
const exchange = `paymesh.test.events.${run}`;
const retryDelaysMs = [50, 100];

interface SignedNotification {
  headers: Record<string, string>;
  body: string;
}

let simulator: SimulatorProcess;
let adapter: AdapterProcess;
let store: PaymentStore;
let queue: WorkQueue;
let events: EventPublisher;
let router: RunningRouter;
let client: ReturnType<typeof plainPaymentClient>;
// Every event the exchange delivered to this test's own queue, by id (RabbitMQ only).
let observer: ExchangeObserver | undefined;
// The in-process publisher, when there is no broker: it keeps what it was given.
let memoryEvents: MemoryEventPublisher | undefined;

beforeAll(async () => {
  simulator = await startQrisSimulator();
  adapter = await startQrisAdapter(simulator.ready.url);
  store = await openPaymentStore(databaseUrl === undefined ? {} : { databaseUrl, schema });
  queue = amqpUrl
    ? await createRabbitWorkQueue({ url: amqpUrl, name: queueName, retryDelaysMs, maxAttempts: 3 })
    : createMemoryWorkQueue({ name: queueName, retryDelaysMs, maxAttempts: 3 });
  if (amqpUrl !== undefined) {
    events = await createRabbitEventPublisher({ url: amqpUrl, exchange });
    observer = await observeExchange(amqpUrl, exchange);
  } else {
    memoryEvents = createMemoryEventPublisher();
    events = memoryEvents;
  }
  router = await startRouter(
    qrisRouterConfig({
      resolver: { intervalMs: 100, initialDelayMs: 100, maxDelayMs: 500 },
      webhooks: { retryDelaysMs, maxAttempts: 3, consumers: 4 },
    }),
    { store, webhookQueue: queue, events, log: createLogger({ service: "router", level: "silent" }) },
  );
  await simulatorControl(simulator.ready.url, "/sim/config", { notifyUrl: null });
  client = plainPaymentClient(router.grpcAddress, TEST_TOKEN);
}, 60_000);

afterAll(async () => {
  client?.close();
  await router?.close();
  await observer?.close();
  await Promise.all([adapter?.stop(), simulator?.stop()]);
  if (amqpUrl !== undefined) {
    await deleteWorkQueue(amqpUrl, queueName, retryDelaysMs);
    await deleteExchange(amqpUrl, exchange);
  }
  if (databaseUrl !== undefined) await dropSchema(databaseUrl, schema);
}, 60_000);

/** A router config on free ports routing QRIS to this test's adapter, with `extra` on top. */
function qrisRouterConfig(extra: Omit<Parameters<typeof resolveRouterConfig>[0], "adapters" | "routes">) {
  return resolveRouterConfig({
    grpcPort: 0,
    httpPort: 0,
    callers: { e2e: TEST_TOKEN },
    adapters: { qris: { address: adapter.ready.address } },
    routes: { qris: ["qris"] },
    ...extra,
  });
}

const createQris = async (key: string): Promise<PlainPayment> => {
  const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", {
    idempotencyKey: `${run}-${key}`,
    amount: { currency: "IDR", minorUnits: "2500000" },
    qris: { terminalLabel: "KASIR-01" },
    merchantReference: `order-${key}`,
  });
  expect(payment.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
  return payment;
};

const signed = (paymentId: string, forged = false): Promise<SignedNotification> =>
  simulatorControl(simulator.ready.url, "/sim/webhook", {
    partnerReferenceNo: paymentId,
    path: "/webhooks/qris",
    ...(forged ? { forged: true } : {}),
  });

const deliver = (notification: SignedNotification, headers: Record<string, string> = {}) =>
  fetch(`${router.httpUrl}/webhooks/qris`, {
    method: "POST",
    headers: { ...notification.headers, ...headers },
    body: notification.body,
  });

const statusOf = async (id: string): Promise<PaymentStatus | undefined> => (await store.getById(id))?.status;

const transitions = async (id: string) =>
  (await store.journal(id)).map((entry) => `${PaymentStatus[entry.from]}>${PaymentStatus[entry.to]}`);

describe(`webhooks (store: ${databaseUrl ? "postgres" : "pglite"}, queue: ${amqpUrl ? "rabbitmq" : "in process"})`, () => {
  it("applies 50 concurrent copies of a notification plus late, out-of-order ones exactly once", async () => {
    const payment = await createQris("fifty");
    const pending = await signed(payment.id); // the QR's "pending" state, to arrive late
    await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: payment.id });
    const paid = await signed(payment.id);
    const deliveries = [
      ...Array.from({ length: 50 }, () => paid),
      ...Array.from({ length: 10 }, () => pending),
    ].map((notification) => deliver(notification));
    const answers = await Promise.all(deliveries);
    expect(answers.map((answer) => answer.status)).toEqual(deliveries.map(() => 200));
    await waitFor(
      async () => ((await store.providerEvents(payment.id)).length === 2 ? true : undefined),
      10_000,
      "both provider events recorded",
    );
    expect(await statusOf(payment.id)).toBe(PaymentStatus.SUCCEEDED);
    expect(await transitions(payment.id)).toEqual([
      "PENDING>PENDING",
      "PENDING>REQUIRES_ACTION",
      "REQUIRES_ACTION>SUCCEEDED",
    ]);
    const recorded = await store.providerEvents(payment.id);
    const outcomes = recorded.map((event) => `${PaymentStatus[event.claimedStatus]}:${event.outcome}`).sort();
    // The pending notification found the payment already in REQUIRES_ACTION, or arrived after
    // SUCCEEDED and was ignored: recorded either way, applied never.
    expect(outcomes[0]).toMatch(/^REQUIRES_ACTION:(same_status|ignored)$/);
    expect(outcomes[1]).toBe("SUCCEEDED:applied");
    expect((await store.paymentEvents(payment.id, 0)).map((event) => event.routingKey)).toEqual([
      "qris.pending",
      "qris.requires_action",
      "qris.succeeded",
    ]);
  });

  it("answers 401 to forged and unsigned notifications and changes nothing", async () => {
    const payment = await createQris("forged");
    const before = await store.getById(payment.id);
    const forged = await signed(payment.id, true);
    const unsigned: SignedNotification = {
      headers: { "content-type": "application/json" },
      body: forged.body,
    };
    for (const notification of [forged, unsigned]) expect((await deliver(notification)).status).toBe(401);
    expect(await store.providerEvents(payment.id)).toEqual([]);
    expect((await store.getById(payment.id))?.status).toBe(before?.status);
    expect(await transitions(payment.id)).toEqual(["PENDING>PENDING", "PENDING>REQUIRES_ACTION"]);
  });

  it("asks the provider when a plausible notification fails verification, instead of trusting it", async () => {
    const paidThere = await createQris("claim-paid");
    const unpaid = await createQris("claim-unpaid");
    // Paid at the bank, but its notification is lost: only a forged copy reaches the router.
    await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: paidThere.id });
    const inquiries = async () => (await store.exchanges(unpaid.id)).length;
    const unpaidExchangesBefore = await inquiries();
    for (const payment of [paidThere, unpaid]) {
      const forged = await signed(payment.id, true);
      const claim = JSON.stringify({ ...JSON.parse(forged.body), latestTransactionStatus: "00" });
      expect((await deliver({ headers: forged.headers, body: claim })).status).toBe(401);
    }
    // The router asked the bank: the paid one is SUCCEEDED by the bank's word, with no event applied.
    await waitFor(
      async () => ((await statusOf(paidThere.id)) === PaymentStatus.SUCCEEDED ? true : undefined),
      10_000,
      "the paid payment resolved from the provider",
    );
    expect((await store.journal(paidThere.id)).at(-1)?.cause).toBe("resolver");
    expect(await store.providerEvents(paidThere.id)).toEqual([]);
    // The unpaid one was asked about too, and stays as the bank says it is.
    await waitFor(
      async () => ((await inquiries()) > unpaidExchangesBefore ? true : undefined),
      10_000,
      "a status inquiry for the unpaid payment",
    );
    expect(await statusOf(unpaid.id)).toBe(PaymentStatus.REQUIRES_ACTION);
  });

  it("refuses a wrong content type with 415 and an oversized body with 413, changing nothing", async () => {
    const payment = await createQris("media");
    await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: payment.id });
    const paid = await signed(payment.id);
    expect((await deliver(paid, { "content-type": "text/plain" })).status).toBe(415);
    const huge = await fetch(`${router.httpUrl}/webhooks/qris`, {
      method: "POST",
      headers: paid.headers,
      body: `${paid.body}${" ".repeat(1024 * 1024)}`,
    });
    expect(huge.status).toBe(413);
    expect(await store.providerEvents(payment.id)).toEqual([]);
    expect(await statusOf(payment.id)).toBe(PaymentStatus.REQUIRES_ACTION);
  });

  it("publishes every state change once per id, keyed by method and status", async () => {
    const payment = await createQris("events");
    await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: payment.id });
    await deliver(await signed(payment.id));
    await waitFor(async () => ((await statusOf(payment.id)) === PaymentStatus.SUCCEEDED ? true : undefined));
    const expected = [
      [`${payment.id}/1`, "qris.pending"],
      [`${payment.id}/2`, "qris.requires_action"],
    ];
    const stored = await store.paymentEvents(payment.id, 0);
    const last = stored.at(-1);
    expect(last?.routingKey).toBe("qris.succeeded");
    expected.push([last?.eventId ?? "", "qris.succeeded"]);
    const published = async (): Promise<Array<[string, string, Uint8Array]>> => {
      const all: Array<[string, string, Uint8Array]> = observer
        ? [...observer.received].map(([id, event]) => [id, event.routingKey, event.body])
        : (memoryEvents?.published() ?? []).map((event) => [event.id, event.routingKey, event.body]);
      return all.filter(([id]) => id.startsWith(`${payment.id}/`));
    };
    const seen = await waitFor(
      async () => {
        const list = await published();
        return list.length >= 3 ? list : undefined;
      },
      10_000,
      "three published events",
    );
    expect(seen.map(([id, key]) => [id, key]).sort()).toEqual(expected.sort());
    const decoded = seen.map(([, , body]) => fromBinary(PaymentEventSchema, body));
    expect(decoded.map((event) => event.payment?.status).sort()).toEqual(
      [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, PaymentStatus.SUCCEEDED].sort(),
    );
  });

  it("parks an event no payment matches in the DLQ, and replays it once the cause is fixed", async () => {
    // A QR made at the bank through the adapter, never through this router: its notification names
    // a payment the store does not have (as after restoring the store from an older backup).
    const orphanId = createIdGenerator()("pay");
    const adapterClient = createGrpcClient(adapterv1.ProviderAdapter, adapter.ready.address);
    try {
      await adapterClient.createPayment(
        {
          paymentId: orphanId,
          amount: { currency: "IDR", minorUnits: 2_500_000n },
          method: { case: "qris", value: { terminalLabel: "KASIR-01" } },
          merchantReference: "order-orphan",
        },
        { deadline: new Date(Date.now() + 10_000) },
      );
    } finally {
      adapterClient.close();
    }
    await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: orphanId });
    const notification = await signed(orphanId);
    expect((await deliver(notification)).status).toBe(200);

    // Every attempt fails ("no payment matches"), so after maxAttempts it waits in the DLQ.
    const letter = await waitFor(
      async () => (await deadLetters()).find((entry) => entry.body?.event?.paymentId === orphanId),
      15_000,
      "the event in the dead-letter queue",
    );
    expect(letter.attempts).toBe(3);
    expect(letter.reason).toContain(`no payment of adapter qris matches payment ${orphanId}`);
    expect(await store.getById(orphanId)).toBeUndefined();

    // The cause is fixed: the payment is back in the store. Replaying applies the event once.
    await store.insert(
      createPaymentFixtures().payment({
        id: orphanId,
        caller: "e2e",
        adapter: "qris",
        amount: { currency: "IDR", minorUnits: 2_500_000n },
      }),
    );
    // The operator's way: `paymesh dlq show` and `paymesh dlq replay` against this router.
    const shown = await paymesh(["dlq", "show", letter.id]);
    expect(shown.stdout).toContain("no payment of adapter qris matches");
    const replay = await paymesh(["dlq", "replay", letter.id]);
    expect(replay.code, replay.stderr).toBe(0);
    await waitFor(async () => ((await statusOf(orphanId)) === PaymentStatus.SUCCEEDED ? true : undefined));
    expect(await transitions(orphanId)).toEqual(["PENDING>PENDING", "PENDING>SUCCEEDED"]);
    expect((await deadLetters()).some((entry) => entry.id === letter.id)).toBe(false);

    // The provider delivering it once more changes nothing.
    expect((await deliver(await signed(orphanId))).status).toBe(200);
    await waitFor(async () => ((await queueIsQuiet(orphanId)) ? true : undefined));
    expect(await transitions(orphanId)).toEqual(["PENDING>PENDING", "PENDING>SUCCEEDED"]);
    expect((await store.providerEvents(orphanId)).map((event) => event.outcome)).toEqual(["applied"]);
  });

  it("counts webhooks received, verified, refused and applied, checked claims, failed jobs and published events at /metrics", async () => {
    const metrics = await (await fetch(`${router.httpUrl}/metrics`)).text();
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(metrics, name, labels);
    const qris = { adapter: "qris" };
    // The earlier tests in this file: 60 + 3 accepted deliveries at least, and 4 refused bodies,
    // each still naming its payment, so 4 claims the provider was asked about.
    expect(value("paymesh_webhooks_received_total", qris)).toBeGreaterThanOrEqual(63 + 4 + 1);
    expect(value("paymesh_webhooks_verified_total", qris)).toBeGreaterThanOrEqual(63);
    expect(value("paymesh_webhooks_refused_total", { ...qris, status: "401" })).toBe(4);
    expect(value("paymesh_webhooks_refused_total", { ...qris, status: "415" })).toBe(1);
    expect(value("paymesh_webhooks_applied_total", { ...qris, result: "applied" })).toBeGreaterThanOrEqual(1);
    expect(value("paymesh_webhook_claims_checked_total", qris)).toBe(4);
    expect(value("paymesh_webhook_job_failures_total")).toBeGreaterThanOrEqual(3);
    expect(value("paymesh_outbox_events_total", { result: "published" })).toBeGreaterThanOrEqual(15);
    // The RabbitMQ queue's sizes, read at the scrape.
    expect(seriesOf(metrics, "paymesh_work_queue_depth")).toEqual([{ queue: queueName }]);
    expect(seriesOf(metrics, "paymesh_work_queue_dead_letters")).toEqual([{ queue: queueName }]);
    expect(promtoolProblems(metrics)).toBe("");
  });
});

describe("webhooks on an in-process queue", () => {
  it("applies an event before answering the provider, so a crash after the answer loses nothing", async () => {
    const inProcess = createMemoryWorkQueue({
      name: `${queueName}.in-process`,
      retryDelaysMs,
      maxAttempts: 3,
    });
    const second = await startRouter(
      qrisRouterConfig({ webhooks: { retryDelaysMs, maxAttempts: 3, consumers: 1 } }),
      // The same store, which the first router owns and closes.
      {
        store: { ...store, close: async () => {} },
        webhookQueue: inProcess,
        log: createLogger({ service: "router", level: "silent" }),
      },
    );
    try {
      const payment = await createQris("apply-first");
      await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: payment.id });
      const paid = await signed(payment.id);
      // With the queue gone, only an event applied before the answer can succeed: a router that
      // merely queued it would answer 503.
      await inProcess.close();
      const answer = await fetch(`${second.httpUrl}/webhooks/qris`, {
        method: "POST",
        headers: paid.headers,
        body: paid.body,
      });
      expect(answer.status).toBe(200);
      // No waiting: the change was committed before the 200 left the router.
      expect(await statusOf(payment.id)).toBe(PaymentStatus.SUCCEEDED);
      expect((await store.providerEvents(payment.id)).map((event) => event.outcome)).toEqual(["applied"]);
    } finally {
      await second.close();
    }
  });
});

describe("operator tokens", () => {
  it("keep the dead letters and adapters to operators once configured, and are no caller tokens", async () => {
    const operatorToken = "paymesh-e2e-operator-token-0001";
    const guarded = await startRouter(qrisRouterConfig({ operators: { ops: operatorToken } }), {
      log: createLogger({ service: "router", level: "silent" }),
    });
    const get = (path: string, token: string, method = "GET") =>
      fetch(`${guarded.httpUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    try {
      for (const path of ["/admin/dlq", "/admin/adapters"]) {
        expect((await get(path, TEST_TOKEN)).status).toBe(401);
        expect((await get(path, operatorToken)).status).toBe(200);
      }
      expect((await get("/admin/dlq/qris%3Aevt/replay", TEST_TOKEN, "POST")).status).toBe(401);
      expect((await get("/admin/dlq/qris%3Aevt", TEST_TOKEN, "DELETE")).status).toBe(401);
      // An operator is not a calling service: the payment API refuses its token.
      const asOperator = plainPaymentClient(guarded.grpcAddress, operatorToken);
      try {
        const error = await rejection(asOperator.call("ListPayments", {}));
        expect(error.code).toBe(16); // UNAUTHENTICATED
      } finally {
        asOperator.close();
      }
    } finally {
      await guarded.close();
    }
  });

  it("refuses an operator token shorter than 16 characters at start", () => {
    expect(() => resolveRouterConfig({ callers: { e2e: TEST_TOKEN }, operators: { ops: "short" } })).toThrow(
      "router config: operator ops token must be at least 16 characters",
    );
  });
});

describe.runIf(amqpUrl !== undefined)("webhooks when the broker stops answering", () => {
  it("answers 503 instead of hanging, and the redelivered notification is applied once", async () => {
    const amqp = amqpUrl ?? "";
    const stalledQueueName = `${queueName}.stalled`;
    const proxy = await startTcpProxy(amqpTarget(amqp));
    const stalledQueue = await createRabbitWorkQueue({
      url: proxiedAmqpUrl(amqp, proxy.port),
      name: stalledQueueName,
      retryDelaysMs,
      maxAttempts: 3,
      connectionWaitMs: 5_000,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    const second = await startRouter(
      qrisRouterConfig({ webhooks: { retryDelaysMs, maxAttempts: 3, consumers: 1, enqueueTimeoutMs: 500 } }),
      // The same store, which the first router owns and closes.
      {
        store: { ...store, close: async () => {} },
        webhookQueue: stalledQueue,
        events: createMemoryEventPublisher(),
        log: createLogger({ service: "router", level: "silent" }),
      },
    );
    try {
      const payment = await createQris("stalled");
      await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: payment.id });
      const paid = await signed(payment.id);
      proxy.stall(); // the broker keeps the connection open and stops confirming
      const started = Date.now();
      const refused = await fetch(`${second.httpUrl}/webhooks/qris`, {
        method: "POST",
        headers: paid.headers,
        body: paid.body,
      });
      expect(refused.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000);

      proxy.cut(); // the connection dies at last; the queue reconnects
      proxy.restore();
      // The provider delivers again, as it does after a 5xx.
      await waitFor(async () => {
        const again = await fetch(`${second.httpUrl}/webhooks/qris`, {
          method: "POST",
          headers: (await signed(payment.id)).headers,
          body: paid.body,
        });
        return again.status === 200 ? true : undefined;
      }, 15_000);
      await waitFor(async () =>
        (await statusOf(payment.id)) === PaymentStatus.SUCCEEDED ? true : undefined,
      );
      expect(await transitions(payment.id)).toEqual([
        "PENDING>PENDING",
        "PENDING>REQUIRES_ACTION",
        "REQUIRES_ACTION>SUCCEEDED",
      ]);
    } finally {
      await second.close();
      await proxy.close();
      await deleteWorkQueue(amqp, stalledQueueName, retryDelaysMs);
    }
  });
});

interface DeadLetterView {
  id: string;
  attempts: number;
  reason: string;
  body: { event?: { paymentId?: string } } | null;
}

/** Runs the `paymesh` CLI as a process against this test's router. */
const paymesh = (args: string[]) =>
  runPaymesh([...args, "--router-http", router.httpUrl, "--token", TEST_TOKEN]);

const admin = (path: string, method = "GET") =>
  fetch(`${router.httpUrl}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}` } });

async function deadLetters(): Promise<DeadLetterView[]> {
  const response = await admin("/admin/dlq?limit=500");
  if (!response.ok) throw new Error(`GET /admin/dlq answered ${response.status}`);
  return ((await response.json()) as { deadLetters: DeadLetterView[] }).deadLetters;
}

/** True once the redelivered copy was handled: recorded as a duplicate, so the version moved on. */
async function queueIsQuiet(paymentId: string): Promise<boolean> {
  const record = await store.getById(paymentId);
  return (
    record !== undefined && (await deadLetters()).every((entry) => entry.body?.event?.paymentId !== paymentId)
  );
}
