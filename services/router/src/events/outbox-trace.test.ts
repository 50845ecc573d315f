import { PaymentStatus } from "@paymesh/proto";
import { createMemoryEventPublisher, createRabbitEventPublisher } from "@paymesh/queue";
import { amqpUrlForTests, deleteExchange, observeExchange, uniqueTestName } from "@paymesh/queue/testing";
import { createMemoryPaymentStore, openPaymentStore, type PaymentStore } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { inSpan } from "@paymesh/telemetry";
import { startTestTracing } from "@paymesh/telemetry/testing";
import { waitFor } from "@paymesh/test-kit";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createOutboxRelay } from "./outbox-relay.ts";

// A PaymentEvent is published by the relay, later and outside the request that caused it; it
// still carries that request's trace context (`traceparent`), kept with the outbox row.

const tracing = startTestTracing();
beforeEach(() => tracing.reset());
afterAll(() => tracing.shutdown());
const fixtures = createPaymentFixtures();

/** Creates a payment in one span and completes it in another; returns both spans' ids. */
async function tracedChanges(store: PaymentStore): Promise<{ paymentId: string; spans: string[] }> {
  const { record } = await inSpan("create payment", {}, () =>
    store.insert(fixtures.payment({ adapter: "qris" })),
  );
  await inSpan("apply webhook", {}, () =>
    store.update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook"),
  );
  const spanOf = (name: string) =>
    tracing
      .spans()
      .find((span) => span.name === name)
      ?.spanContext();
  return {
    paymentId: record.id,
    spans: [spanOf("create payment"), spanOf("apply webhook")].map(
      (span) => `00-${span?.traceId}-${span?.spanId}-01`,
    ),
  };
}

describe.each([
  ["memory", async () => createMemoryPaymentStore()],
  ["PGlite", () => openPaymentStore({})],
])("outbox events in the trace that wrote them (%s store)", (_, open) => {
  it("publishes each event with the traceparent of the work that changed the payment", async () => {
    const store = await open();
    try {
      const { paymentId, spans } = await tracedChanges(store);
      const publisher = createMemoryEventPublisher();
      await createOutboxRelay({ store, publisher }).runOnce();
      expect(publisher.published().map((event) => [event.id, event.headers?.traceparent])).toEqual([
        [`${paymentId}/1`, spans[0]],
        [`${paymentId}/2`, spans[1]],
      ]);
    } finally {
      await store.close();
    }
  });
});

const url = amqpUrlForTests();

describe.runIf(url !== undefined)("outbox events on RabbitMQ", () => {
  it("carry traceparent in their AMQP headers", async () => {
    const amqp = url ?? "";
    const exchange = uniqueTestName("outbox-trace");
    const observer = await observeExchange(amqp, exchange, "qris.*");
    const publisher = await createRabbitEventPublisher({ url: amqp, exchange });
    const store = createMemoryPaymentStore();
    try {
      const { paymentId, spans } = await tracedChanges(store);
      await createOutboxRelay({ store, publisher }).runOnce();
      const received = await waitFor(() => (observer.received.size === 2 ? observer.received : undefined));
      expect(received.get(`${paymentId}/1`)?.headers.traceparent).toBe(spans[0]);
      expect(received.get(`${paymentId}/2`)?.headers.traceparent).toBe(spans[1]);
    } finally {
      await publisher.close();
      await observer.close();
      await deleteExchange(amqp, exchange);
      await store.close();
    }
  });
});
