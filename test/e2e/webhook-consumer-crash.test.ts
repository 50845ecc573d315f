// A webhook consumer killed mid-message (issue 6): the change committed, the ack never sent. The
// broker redelivers the job to another consumer, and the store's event dedupe makes the second
// application a no-op. Needs the real Postgres and RabbitMQ: a consumer process dying takes an
// in-process queue with it, so there is nothing to redeliver from.
import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { adapterv1, PaymentStatus } from "@paymesh/proto";
import { createRabbitWorkQueue, type QueueMessage, type WorkQueue } from "@paymesh/queue";
import { amqpUrlForTests, deleteWorkQueue } from "@paymesh/queue/testing";
import { applyWebhookEvent, createWebhookJobHandler, webhookJobMessage } from "@paymesh/router";
import { openPaymentStore, type PaymentStore } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { waitFor } from "@paymesh/test-kit";
import { afterAll, describe, expect, it } from "vitest";
import { dropSchema } from "../support/backends.ts";
import { startService } from "../support/start-process.ts";

const amqpUrl = amqpUrlForTests();
const databaseUrl = process.env.DATABASE_URL || undefined;
if (process.env.PAYMESH_REQUIRE_BACKENDS === "1" && databaseUrl === undefined) {
  throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but DATABASE_URL is not set");
}
const run = randomUUID().replaceAll("-", "").slice(0, 12);
const schema = `consumer_crash_${run}`;
const queueName = `paymesh.test.consumer-crash.${run}`;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.runIf(amqpUrl !== undefined && databaseUrl !== undefined)(
  "webhook consumer killed mid-message",
  () => {
    it("gets the job redelivered to another consumer and applied once", async () => {
      const amqp = amqpUrl ?? "";
      const database = databaseUrl ?? "";
      const store: PaymentStore = await openPaymentStore({ databaseUrl: database, schema });
      cleanups.push(async () => {
        await store.close();
        await dropSchema(database, schema);
      });
      const queue: WorkQueue = await createRabbitWorkQueue({
        url: amqp,
        name: queueName,
        retryDelaysMs: [50],
        maxAttempts: 3,
      });
      cleanups.push(async () => {
        await queue.close();
        await deleteWorkQueue(amqp, queueName, [50]);
      });
      const { record } = await store.insert(createPaymentFixtures().payment({ adapter: "qris" }));
      await store.update(
        record.id,
        1,
        { status: PaymentStatus.REQUIRES_ACTION, providerReference: "ref-1" },
        "api",
      );

      const consumer = await startService("test/support/stalling-webhook-consumer.ts", {
        DATABASE_URL: database,
        PAYMESH_DB_SCHEMA: schema,
        AMQP_URL: amqp,
        QUEUE_NAME: queueName,
      });
      cleanups.push(() => consumer.stop(0));
      const event = create(adapterv1.WebhookEventSchema, {
        eventId: `evt-${run}`,
        paymentId: record.id,
        providerReference: "ref-1",
        status: PaymentStatus.SUCCEEDED,
      });
      await queue.enqueue(webhookJobMessage({ adapter: "qris", event }));

      // The stalling consumer applied it (committed) and holds the unacked message: kill it now. Its
      // line about it comes through a pipe, so it may arrive after the commit is visible: wait for both.
      await waitFor(async () =>
        (await store.getById(record.id))?.status === PaymentStatus.SUCCEEDED ? true : undefined,
      );
      await waitFor(
        async () => (consumer.stderr().includes(`applied qris:evt-${run}`) ? true : undefined),
        5_000,
        "the consumer's line saying it applied the event and is stalling",
      );
      const versionAfterFirst = (await store.getById(record.id))?.version;
      const exited = new Promise((resolve) => consumer.child.once("exit", resolve));
      consumer.child.kill("SIGKILL");
      await exited;

      // Another consumer, running the router's real handler, gets the same job again.
      const handled: QueueMessage[] = [];
      const handle = createWebhookJobHandler({
        applyWebhookEvent: (adapter, webhookEvent) => applyWebhookEvent(store, adapter, webhookEvent),
      });
      const second = await queue.consume(async (message) => {
        await handle(message);
        handled.push(message);
      });
      cleanups.push(() => second.stop());
      await waitFor(async () => (handled.length > 0 ? true : undefined), 15_000, "the redelivery");

      expect(handled.map((message) => message.id)).toEqual([`qris:evt-${run}`]);
      expect((await store.journal(record.id)).map((entry) => PaymentStatus[entry.to])).toEqual([
        "PENDING",
        "REQUIRES_ACTION",
        "SUCCEEDED",
      ]);
      expect((await store.providerEvents(record.id)).map((recorded) => recorded.outcome)).toEqual([
        "applied",
      ]);
      // The redelivered copy changed nothing, not even the version; and nothing is left to retry.
      expect((await store.getById(record.id))?.version).toBe(versionAfterFirst);
      expect(await queue.deadLetters.list(10)).toEqual([]);
    });
  },
);
