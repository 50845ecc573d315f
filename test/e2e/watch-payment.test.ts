// WatchPayment end to end (issue 6, item 5): a plain grpc-js caller follows a QRIS payment from
// the state it finds to its terminal status, and the stream ends there. The router, the QRIS
// adapter and its simulator run as real processes; the last block shares one Postgres between two
// routers, so the change reaches a watcher on a router that never saw the notification.
import { randomBytes } from "node:crypto";
import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import { type StartedProcess, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, dropSchema, realBackends, TEST_KEK } from "../support/backends.ts";
import { errorInfoFromMetadata, rejection } from "../support/error-details.ts";
import {
  type PlainCallOptions,
  type PlainPayment,
  type PlainWatchMessage,
  plainPaymentClient,
} from "../support/plain-client.ts";
import {
  OTHER_TOKEN,
  type QrisStack,
  simulatorControl,
  startQrisStack,
  TEST_TOKEN,
} from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";

const UNSPECIFIED = "PAYMENT_STATUS_UNSPECIFIED";
const REQUIRES_ACTION = "PAYMENT_STATUS_REQUIRES_ACTION";
const SUCCEEDED = "PAYMENT_STATUS_SUCCEEDED";
const CANCELED = "PAYMENT_STATUS_CANCELED";

// Well under the test timeout: a stream the router never ends fails its test with
// DEADLINE_EXCEEDED instead of hanging it.
const WATCH_DEADLINE_MS = 15_000;

type Client = ReturnType<typeof plainPaymentClient>;

const qrisRequest = (key: string) => ({
  idempotencyKey: key,
  amount: { currency: "IDR", minorUnits: "1500000" },
  qris: { terminalLabel: "KASIR-02" },
  merchantReference: `order-${key}`,
});

async function createQris(client: Client, key: string): Promise<PlainPayment> {
  const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", qrisRequest(key));
  return payment;
}

/** What a watcher saw, as [previous status, status] pairs. */
const transitions = (messages: readonly PlainWatchMessage[]) =>
  messages.map((message) => [message.previousStatus, message.payment.status]);

describe("WatchPayment through one router", () => {
  let stack: QrisStack;
  let client: Client;
  let otherCaller: Client;

  beforeAll(async () => {
    stack = await startQrisStack();
    client = plainPaymentClient(stack.routerGrpc, TEST_TOKEN);
    otherCaller = plainPaymentClient(stack.routerGrpc, OTHER_TOKEN);
  });
  afterAll(async () => {
    client?.close();
    otherCaller?.close();
    await stack?.stop();
  });

  const pay = (paymentId: string) =>
    simulatorControl<{ notified: number }>(stack.simulatorUrl, "/sim/pay", { partnerReferenceNo: paymentId });

  it("sends a late watcher the current state first, then the change, and ends after the terminal status", async () => {
    const payment = await createQris(client, "watch-late-1");
    expect(payment.status).toBe(REQUIRES_ACTION); // PENDING → REQUIRES_ACTION happened before the watch

    const watch = client.watch(payment.id, { deadlineMs: WATCH_DEADLINE_MS });
    const [first] = await watch.received(1);
    expect(first).toMatchObject({
      previousStatus: UNSPECIFIED,
      payment: { id: payment.id, status: REQUIRES_ACTION, providerReference: payment.providerReference },
    });

    expect((await pay(payment.id)).notified).toBe(200);
    const ended = await watch.ended;
    expect(ended.code).toBe(0); // OK: the router completed the stream itself
    expect(transitions(watch.messages)).toEqual([
      [UNSPECIFIED, REQUIRES_ACTION],
      [REQUIRES_ACTION, SUCCEEDED],
    ]);
    expect(watch.messages[1]?.payment).toMatchObject({
      id: payment.id,
      amount: { currency: "IDR", minorUnits: "1500000" },
      providerReference: payment.providerReference,
    });
    const { payment: stored } = await client.call<{ payment: PlainPayment }>("GetPayment", {
      paymentId: payment.id,
    });
    expect(stored.status).toBe(SUCCEEDED);
  });

  it("sends a payment that is already terminal once and ends the stream", async () => {
    const succeeded = await createQris(client, "watch-terminal-paid");
    await pay(succeeded.id);
    await waitFor(
      async () => {
        const { payment } = await client.call<{ payment: PlainPayment }>("GetPayment", {
          paymentId: succeeded.id,
        });
        return payment.status === SUCCEEDED ? payment : undefined;
      },
      10_000,
      "the notification to be applied",
    );
    const canceled = await createQris(client, "watch-terminal-canceled");
    const { payment: afterCancel } = await client.call<{ payment: PlainPayment }>("CancelPayment", {
      paymentId: canceled.id,
      reason: "customer left",
    });
    expect(afterCancel.status).toBe(CANCELED);

    for (const [payment, status] of [
      [succeeded, SUCCEEDED],
      [canceled, CANCELED],
    ] as const) {
      const watch = client.watch(payment.id, { deadlineMs: WATCH_DEADLINE_MS });
      expect((await watch.ended).code, status).toBe(0);
      expect(transitions(watch.messages), status).toEqual([[UNSPECIFIED, status]]);
      expect(watch.messages[0]?.payment.id).toBe(payment.id);
    }
  });

  it("refuses unknown, foreign and malformed ids and unauthenticated callers without sending anything", async () => {
    const mine = await createQris(client, "watch-errors-1");
    const cases: Array<[string, Client, string, PlainCallOptions, number, string]> = [
      ["unknown id", client, "pay_00000000000000000000000000", {}, 5, "PAYMENT_NOT_FOUND"],
      // Another caller's payment is indistinguishable from a missing one.
      ["another caller's payment", otherCaller, mine.id, {}, 5, "PAYMENT_NOT_FOUND"],
      ["malformed id", client, "pay_123", {}, 3, "INVALID_FIELD"],
      ["empty id", client, "", {}, 3, "MISSING_FIELD"],
      ["no token", client, mine.id, { token: null }, 16, "UNAUTHENTICATED"],
      [
        "unknown token",
        client,
        mine.id,
        { token: "not-a-configured-token-000000000" },
        16,
        "UNAUTHENTICATED",
      ],
    ];
    for (const [name, caller, paymentId, options, code, reason] of cases) {
      const watch = caller.watch(paymentId, { ...options, deadlineMs: WATCH_DEADLINE_MS });
      const error = await rejection(watch.ended);
      expect(error.code, name).toBe(code);
      expect(errorInfoFromMetadata(error.metadata)?.reason, name).toBe(reason);
      expect(watch.messages, name).toEqual([]);
    }
    // The refused watchers changed nothing; the owner still sees the payment waiting.
    const { payment } = await client.call<{ payment: PlainPayment }>("GetPayment", { paymentId: mine.id });
    expect(payment.status).toBe(REQUIRES_ACTION);
  });

  it("keeps serving other watchers when one cancels its stream mid-way", async () => {
    const payment = await createQris(client, "watch-cancel-1");
    const abandoned = client.watch(payment.id, { deadlineMs: WATCH_DEADLINE_MS });
    const staying = client.watch(payment.id, { deadlineMs: WATCH_DEADLINE_MS });
    await Promise.all([abandoned.received(1), staying.received(1)]);

    abandoned.cancel();
    expect((await rejection(abandoned.ended)).code).toBe(1); // CANCELLED, on the client's side
    // A watcher that arrives after the cancel is served as well.
    const later = client.watch(payment.id, { deadlineMs: WATCH_DEADLINE_MS });
    await later.received(1);

    await pay(payment.id);
    for (const watch of [staying, later]) {
      expect((await watch.ended).code).toBe(0);
      expect(transitions(watch.messages)).toEqual([
        [UNSPECIFIED, REQUIRES_ACTION],
        [REQUIRES_ACTION, SUCCEEDED],
      ]);
    }
    expect(transitions(abandoned.messages)).toEqual([[UNSPECIFIED, REQUIRES_ACTION]]);

    // And afterwards: a new watch of the now terminal payment answers and ends.
    const afterwards = client.watch(payment.id, { deadlineMs: WATCH_DEADLINE_MS });
    expect((await afterwards.ended).code).toBe(0);
    expect(transitions(afterwards.messages)).toEqual([[UNSPECIFIED, SUCCEEDED]]);
  });

  it("never ends a watch with OK before the payment is terminal, even when the deadline passes", async () => {
    const payment = await createQris(client, "watch-deadline-1");
    // Several short deadlines: each may run out on the client's or the router's side first.
    for (let i = 0; i < 5; i++) {
      const watch = client.watch(payment.id, { deadlineMs: 700 });
      expect((await rejection(watch.ended)).code).toBe(4); // DEADLINE_EXCEEDED
      expect(transitions(watch.messages)).toEqual([[UNSPECIFIED, REQUIRES_ACTION]]);
    }
  });
});

const backends = realBackends();
const run = randomBytes(4).toString("hex");
const schema = `paymesh_watch_${run}`;
const keyPrefix = `paymesh:watch:${run}:`;

describe.runIf(backends !== undefined)("WatchPayment across two routers sharing Postgres", () => {
  const processes: StartedProcess<unknown>[] = [];
  let simulatorUrl = "";
  let clientA: Client;
  let clientB: Client;

  async function startRouter(adapterAddress: string) {
    const router = await startService<{ grpc: string; http: string }>("services/router/src/main.ts", {
      DATABASE_URL: backends?.databaseUrl ?? "",
      PAYMESH_KEK: TEST_KEK,
      REDIS_URL: backends?.redisUrl ?? "",
      PAYMESH_DB_SCHEMA: schema,
      PAYMESH_IDEMPOTENCY_PREFIX: keyPrefix,
      // In-process queues: the only thing the two routers share is the database.
      AMQP_URL: "",
      PAYMESH_ROUTER_CONFIG: JSON.stringify({
        grpcPort: 0,
        httpPort: 0,
        callers: { e2e: TEST_TOKEN },
        adapters: { qris: { address: adapterAddress } },
        routes: { qris: ["qris"] },
      }),
    });
    processes.push(router);
    return router;
  }

  beforeAll(async () => {
    const simulator = await startService<{ url: string }>("services/adapter-qris/sandbox/main.ts", {
      PORT: "0",
    });
    processes.push(simulator);
    simulatorUrl = simulator.ready.url;
    const adapter = await startService<{ address: string }>("services/adapter-qris/src/main.ts", {
      ADAPTER_PORT: "0",
      ...qrisAdapterEnv(simulatorUrl),
    });
    processes.push(adapter);
    const routerA = await startRouter(adapter.ready.address);
    const routerB = await startRouter(adapter.ready.address);
    clientA = plainPaymentClient(routerA.ready.grpc, TEST_TOKEN);
    clientB = plainPaymentClient(routerB.ready.grpc, TEST_TOKEN);
    // Only router A hears from the bank.
    await simulatorControl(simulatorUrl, "/sim/config", { notifyUrl: `${routerA.ready.http}/webhooks/qris` });
  }, 60_000);

  afterAll(async () => {
    clientA?.close();
    clientB?.close();
    await Promise.all(processes.reverse().map((process) => process.stop()));
    if (backends !== undefined) {
      await dropSchema(backends.databaseUrl, schema);
      await deleteKeys(backends.redisUrl, keyPrefix);
    }
  });

  it("streams a change applied by router A to a watcher on router B, and ends there", async () => {
    const payment = await createQris(clientA, `watch-cross-${run}`);
    expect(payment.status).toBe(REQUIRES_ACTION);

    const watch = clientB.watch(payment.id, { deadlineMs: WATCH_DEADLINE_MS });
    const [first] = await watch.received(1);
    expect(first).toMatchObject({ previousStatus: UNSPECIFIED, payment: { id: payment.id } });

    const paid = await simulatorControl<{ notified: number }>(simulatorUrl, "/sim/pay", {
      partnerReferenceNo: payment.id,
    });
    expect(paid.notified).toBe(200); // delivered to router A, not B
    expect((await watch.ended).code).toBe(0);
    expect(transitions(watch.messages)).toEqual([
      [UNSPECIFIED, REQUIRES_ACTION],
      [REQUIRES_ACTION, SUCCEEDED],
    ]);
    expect(watch.messages[1]?.payment.providerReference).toBe(payment.providerReference);
  });
});
