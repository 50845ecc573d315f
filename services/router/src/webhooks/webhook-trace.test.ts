import { create } from "@bufbuild/protobuf";
import { adapterv1, PaymentStatus } from "@paymesh/proto";
import { createMemoryWorkQueue, createRabbitWorkQueue, type WorkQueue } from "@paymesh/queue";
import { amqpUrlForTests, deleteWorkQueue, uniqueTestName } from "@paymesh/queue/testing";
import { createMemoryPaymentStore } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { currentTraceParent, inSpan } from "@paymesh/telemetry";
import { startTestTracing } from "@paymesh/telemetry/testing";
import { waitFor } from "@paymesh/test-kit";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { applyWebhookEvent } from "./apply-webhook-event.ts";
import { createWebhookJobHandler, webhookJobMessage } from "./webhook-jobs.ts";

// A verified webhook is applied later, maybe by another router, after a trip through the work
// queue: its apply span must still link to the ingress that queued it and to the payment's trace.

const tracing = startTestTracing();
beforeEach(() => tracing.reset());
afterAll(() => tracing.shutdown());
const fixtures = createPaymentFixtures();
const url = amqpUrlForTests();

const queues: Array<[string, () => Promise<{ queue: WorkQueue; cleanup: () => Promise<void> }>]> = [
  ["in process", async () => ({ queue: createMemoryWorkQueue(), cleanup: async () => {} })],
];
if (url !== undefined) {
  queues.push([
    "RabbitMQ",
    async () => {
      const name = uniqueTestName("webhook-trace");
      const queue = await createRabbitWorkQueue({ url, name, retryDelaysMs: [50] });
      return {
        queue,
        cleanup: async () => {
          await queue.close();
          await deleteWorkQueue(url, name, [50]);
        },
      };
    },
  ]);
}

describe.each(queues)("webhook apply span (%s work queue)", (_, open) => {
  it("links to the webhook's ingress and to the trace that created the payment", async () => {
    const { queue, cleanup } = await open();
    try {
      const store = createMemoryPaymentStore();
      const record = await inSpan("create payment", {}, async () =>
        fixtures.payment({
          adapter: "qris",
          status: PaymentStatus.REQUIRES_ACTION,
          traceParent: currentTraceParent(),
        }),
      );
      await store.insert(record);
      const event = create(adapterv1.WebhookEventSchema, {
        eventId: "snap-trace-1",
        paymentId: record.id,
        status: PaymentStatus.SUCCEEDED,
      });
      await inSpan("webhook ingress", {}, () => queue.enqueue(webhookJobMessage({ adapter: "qris", event })));
      const handle = createWebhookJobHandler({
        applyWebhookEvent: (adapter, verified) => applyWebhookEvent(store, adapter, verified),
      });
      const consumer = await queue.consume(handle);
      const applied = await waitFor(() =>
        tracing.spans().find((span) => span.name === "paymesh.webhook.apply"),
      );
      await consumer.stop();

      const created = tracing.spans().find((span) => span.name === "create payment");
      const ingress = tracing.spans().find((span) => span.name === "webhook ingress");
      expect(applied.attributes["paymesh.payment_id"]).toBe(record.id);
      expect(applied.links.map((link) => [link.context.spanId, link.attributes?.["paymesh.link"]])).toEqual([
        [ingress?.spanContext().spanId, "webhook.ingress"],
        [created?.spanContext().spanId, "payment.created"],
      ]);
      expect((await store.getById(record.id))?.status).toBe(PaymentStatus.SUCCEEDED);
    } finally {
      await cleanup();
    }
  });
});
