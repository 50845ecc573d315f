import { setTimeout as sleep } from "node:timers/promises";
import { fromBinary } from "@bufbuild/protobuf";
import { PaymentEventSchema, PaymentStatus } from "@paymesh/proto";
import { createMemoryEventPublisher, createRabbitEventPublisher } from "@paymesh/queue";
import {
  amqpTarget,
  amqpUrlForTests,
  deleteExchange,
  observeExchange,
  proxiedAmqpUrl,
  uniqueTestName,
} from "@paymesh/queue/testing";
import {
  createMemoryPaymentStore,
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  type PaymentStore,
  type SqlClient,
} from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import {
  countingSqlClient,
  dropTestSchema,
  postgresUrlForTests,
  uniqueTestSchema,
} from "@paymesh/store/testing";
import { startTcpProxy as startCuttableTcpProxy } from "@paymesh/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import { createOutboxRelay, type RelayEvent } from "./outbox-relay.ts";

const fixtures = createPaymentFixtures();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Inserts `count` payments and moves each to REQUIRES_ACTION, then SUCCEEDED: three events each. */
async function makeEvents(store: PaymentStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { record } = await store.insert(fixtures.payment({ adapter: "qris" }));
    await store.update(record.id, 1, { status: PaymentStatus.REQUIRES_ACTION }, "api");
    await store.update(record.id, 2, { status: PaymentStatus.SUCCEEDED }, "webhook");
    ids.push(`${record.id}/1`, `${record.id}/2`, `${record.id}/3`);
  }
  return ids;
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("outbox relay (in process)", () => {
  it("publishes every event once, in the order written, with its id, key and headers", async () => {
    const store = createMemoryPaymentStore();
    const publisher = createMemoryEventPublisher();
    const ids = await makeEvents(store, 3);
    const relay = createOutboxRelay({ store, publisher });
    expect((await relay.runOnce()).published).toBe(9);
    expect((await relay.runOnce()).published).toBe(0);
    const published = publisher.published();
    expect(published.map((event) => event.id)).toEqual(ids);
    expect(published.slice(0, 3).map((event) => event.routingKey)).toEqual([
      "qris.pending",
      "qris.requires_action",
      "qris.succeeded",
    ]);
    const last = published[2];
    expect(last?.headers).toMatchObject({
      "x-paymesh-type": "payments.v1.PaymentEvent",
      "x-paymesh-version": "3",
    });
    const decoded = fromBinary(PaymentEventSchema, last?.body ?? new Uint8Array());
    expect(decoded).toMatchObject({
      eventId: ids[2],
      previousStatus: PaymentStatus.REQUIRES_ACTION,
      payment: { status: PaymentStatus.SUCCEEDED },
    });
  });

  it("keeps events the broker refused and sends them once a publisher takes them", async () => {
    const store = createMemoryPaymentStore();
    const ids = await makeEvents(store, 2);
    const gone = createMemoryEventPublisher();
    await gone.close(); // publishing now rejects, as on a dead channel
    const failures: RelayEvent[] = [];
    const failing = createOutboxRelay({ store, publisher: gone, onEvent: (event) => failures.push(event) });
    expect(await failing.runOnce()).toMatchObject({ published: 0, failed: 6 });
    expect(failures).toEqual([{ kind: "failed", failed: 6, error: "event publisher is closed" }]);
    const publisher = createMemoryEventPublisher();
    expect((await createOutboxRelay({ store, publisher }).runOnce()).published).toBe(6);
    expect(publisher.published().map((event) => event.id)).toEqual(ids);
  });

  it("stops after a last pass that sends what was ready", async () => {
    const store = createMemoryPaymentStore();
    const publisher = createMemoryEventPublisher();
    const relay = createOutboxRelay({ store, publisher, sweepIntervalMs: 60_000 });
    relay.start();
    const ids = await makeEvents(store, 1);
    await relay.stop();
    expect(publisher.published().map((event) => event.id)).toEqual(ids);
  });
});

const databaseUrl = postgresUrlForTests();
const databases = [
  { name: "PGlite", open: async () => ({ sql: await createPgliteSqlClient(), cleanup: async () => {} }) },
  ...(databaseUrl === undefined
    ? []
    : [
        {
          name: "Postgres",
          open: async () => {
            const schema = uniqueTestSchema();
            return {
              sql: createPgSqlClient({ databaseUrl, schema }),
              cleanup: () => dropTestSchema(databaseUrl, schema),
            };
          },
        },
      ]),
];

describe.each(databases)("outbox relay on $name", ({ open }) => {
  it("is woken by the write, and an idle relay only sweeps", async () => {
    const database = await open();
    const { sql, statements } = countingSqlClient(database.sql);
    const store = await createSqlPaymentStore({ sql });
    cleanups.push(async () => {
      await store.close();
      await database.cleanup();
    });
    const publisher = createMemoryEventPublisher();
    const relay = createOutboxRelay({ store, publisher, sweepIntervalMs: 60_000 });
    const beforeStart = statements();
    relay.start();
    cleanups.push(() => relay.stop());

    // The start's pass finds nothing (BEGIN, the lock-and-read, COMMIT); then nothing at all runs
    // while nothing is written, over a window far longer than the 50 ms between passes.
    await until(() => statements() >= beforeStart + 3, "the start's pass");
    const idle = statements();
    await sleep(QUIET_WINDOW_MS);
    expect(statements()).toBe(idle);

    // A write wakes it: the events leave long before the next sweep.
    const started = Date.now();
    const ids = await makeEvents(store, 2);
    await until(() => publisher.published().length === ids.length, "the events", 5_000);
    expect(publisher.published().map((event) => event.id)).toEqual(ids);
    expect(Date.now() - started).toBeLessThan(5_000);

    // Idle again: every event marked published (read past the counting client) and the relay's
    // last pass over; then quiet again.
    await settled(database.sql, statements);
    const after = statements();
    await sleep(QUIET_WINDOW_MS);
    expect(statements()).toBe(after);
  });

  it("sends events no write announced at its next sweep", async () => {
    const database = await open();
    const writer = await createSqlPaymentStore({ sql: database.sql });
    cleanups.push(async () => {
      await writer.close();
      await database.cleanup();
    });
    const publisher = createMemoryEventPublisher();
    // Written by another store instance (another router): this relay's store hears nothing of it.
    const ids = await makeEvents(writer, 1);
    const relay = createOutboxRelay({ store: observeOnly(writer), publisher, sweepIntervalMs: 200 });
    relay.start();
    cleanups.push(() => relay.stop());
    await until(() => publisher.published().length === ids.length, "the sweep");
    const more = await makeEvents(writer, 1);
    await until(() => publisher.published().length === ids.length + more.length, "the next sweep");
  });
});

describe.runIf(databaseUrl !== undefined)("two routers' relays on one Postgres", () => {
  it("the one that finds the outbox lock taken tries again soon, not at its next sweep", async () => {
    const url = databaseUrl ?? "";
    const schema = uniqueTestSchema();
    const storeA = await createSqlPaymentStore({ sql: createPgSqlClient({ databaseUrl: url, schema }) });
    const storeB = await createSqlPaymentStore({ sql: createPgSqlClient({ databaseUrl: url, schema }) });
    const writer = await createSqlPaymentStore({ sql: createPgSqlClient({ databaseUrl: url, schema }) });
    cleanups.push(async () => {
      await storeA.close();
      await storeB.close();
      await writer.close();
      await dropTestSchema(url, schema);
    });
    // Router A's broker is slow to confirm: its pass holds the outbox lock until the test lets go.
    let letGo = () => {};
    const confirms = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let publishing = false;
    const received = createMemoryEventPublisher();
    const slowBroker = {
      async publish(routingKey: string, message: Parameters<typeof received.publish>[1]) {
        publishing = true;
        await confirms;
        await received.publish(routingKey, message);
      },
      close: () => received.close(),
    };
    const publisherB = createMemoryEventPublisher();
    const relayA = createOutboxRelay({ store: storeA, publisher: slowBroker, sweepIntervalMs: 60_000 });
    const relayB = createOutboxRelay({ store: storeB, publisher: publisherB, sweepIntervalMs: 60_000 });
    // Router A's events are written before its relay starts: its first pass takes them and the
    // lock, and no later write of A's wakes it again before its 60 s sweep.
    const idsA = await makeEvents(storeA, 1);
    relayA.start();
    relayB.start();
    cleanups.push(async () => {
      letGo();
      await relayA.stop();
      await relayB.stop();
    });
    await until(() => publishing, "router A's pass to hold the lock");

    // Events router B's relay hears nothing of (written by another instance), then one write of
    // router B's own: a single wake-up, whose pass finds the lock taken and must try again.
    const idsB = await makeEvents(writer, 1);
    const { record } = await storeB.insert(fixtures.payment({ adapter: "qris" }));
    idsB.push(`${record.id}/1`);
    expect(publisherB.published()).toEqual([]);
    letGo();
    // Well before either 60 s sweep: router B's relay retried once the lock was free.
    await until(() => publisherB.published().length === idsB.length, "router B's events", 5_000);
    expect(publisherB.published().map((event) => event.id)).toEqual(idsB);
    await until(() => received.published().length === idsA.length, "router A's events", 5_000);
    expect(received.published().map((event) => event.id)).toEqual(idsA);
  });
});

/** How long an idle relay is watched for statements: 20 of its 50 ms pass intervals. */
const QUIET_WINDOW_MS = 1_000;

/**
 * Waits until no event is left unpublished and the relay has run no statement for two checks 100 ms
 * apart (longer than its 50 ms between passes), so a trailing pass is over; fails after 5 s.
 */
async function settled(sql: SqlClient, statements: () => number): Promise<void> {
  const deadline = Date.now() + 5_000;
  let last = -1;
  for (;;) {
    const rows = await sql.query(
      "SELECT count(*)::integer AS waiting FROM payment_outbox WHERE published_at IS NULL",
    );
    const now = statements();
    if (rows[0]?.waiting === 0 && now === last) return;
    if (Date.now() > deadline) throw new Error("the relay did not settle within 5 s");
    last = now;
    await sleep(100);
  }
}

/** The store as another process sees it: the same database, none of this instance's signals. */
function observeOnly(store: PaymentStore): PaymentStore {
  return { ...store, watchOutbox: () => () => {} };
}

const url = amqpUrlForTests();

describe.runIf(url !== undefined)("outbox relay on RabbitMQ", () => {
  it("loses no event when the broker goes away mid-publishing: the outbox drains after reconnecting", async () => {
    const amqp = url ?? "";
    const exchange = uniqueTestName("outbox");
    const proxy = await startCuttableTcpProxy(amqpTarget(amqp));
    cleanups.push(() => proxy.close());
    const store = createMemoryPaymentStore();

    // A consumer straight on the broker, bound before anything is published.
    const observer = await observeExchange(amqp, exchange, "qris.*");
    cleanups.push(async () => {
      await observer.close();
      await deleteExchange(amqp, exchange);
    });
    const received = observer.received;

    const publisher = await createRabbitEventPublisher({
      url: proxiedAmqpUrl(amqp, proxy.port),
      exchange,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    cleanups.push(() => publisher.close());
    const failures: RelayEvent[] = [];
    const relay = createOutboxRelay({
      store,
      publisher,
      batchSize: 25,
      onEvent: (event) => {
        if (event.kind === "failed") failures.push(event);
      },
    });
    relay.start();
    cleanups.push(() => relay.stop());

    const written = await makeEvents(store, 40);
    await until(() => received.size > 0, "the first events");
    proxy.cut(); // the broker "restarts" while the relay is publishing
    written.push(...(await makeEvents(store, 40)));
    await until(() => failures.length > 0, "the relay to notice the outage");
    proxy.restore();
    written.push(...(await makeEvents(store, 20)));

    await until(() => written.every((id) => received.has(id)), "every event after reconnecting");
    expect(written).toHaveLength(300);
    expect(proxy.refused + proxy.accepted).toBeGreaterThan(1); // it really reconnected
    // At least once: an event whose confirm was lost in the cut may come twice, never zero times.
    expect([...received.keys()].filter((id) => !written.includes(id))).toEqual([]);
  });

  it("gives up on a broker that stops confirming, keeps the events, and sends them after reconnecting", async () => {
    const amqp = url ?? "";
    const exchange = uniqueTestName("outbox-stall");
    const proxy = await startCuttableTcpProxy(amqpTarget(amqp));
    cleanups.push(() => proxy.close());
    cleanups.push(() => deleteExchange(amqp, exchange));
    const store = createMemoryPaymentStore();
    const publisher = await createRabbitEventPublisher({
      url: proxiedAmqpUrl(amqp, proxy.port),
      exchange,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    cleanups.push(() => publisher.close());
    const relay = createOutboxRelay({ store, publisher, publishTimeoutMs: 300 });
    await makeEvents(store, 1);
    expect((await relay.runOnce()).published).toBe(3); // the connection works

    const ids = await makeEvents(store, 2);
    proxy.stall(); // the broker goes quiet: no confirm comes back, nothing is closed
    const started = Date.now();
    const stalled = await relay.runOnce();
    expect(stalled).toMatchObject({ published: 0, failed: 6 });
    expect(String(stalled.error)).toContain("no confirm for event");
    expect(Date.now() - started).toBeLessThan(5_000);

    proxy.cut(); // the socket finally dies; the publisher reconnects on the next pass
    proxy.restore();
    let published = 0;
    const deadline = Date.now() + 15_000;
    while (published < ids.length && Date.now() < deadline) {
      const result = await relay.runOnce();
      published += result.published;
      if (result.published === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(published).toBe(ids.length);
  });
});
