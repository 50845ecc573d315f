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

/**
 * Creates a payment in one span and completes it in another; returns both traces' ids. (A row may
 * name a span inside them, such as the store's own PGlite transaction span.)
 */
async function tracedChanges(store: PaymentStore): Promise<{ paymentId: string; traces: string[] }> {
  const { record } = await inSpan("create payment", {}, () =>
    store.insert(fixtures.payment({ adapter: "qris" })),
  );
  await inSpan("apply webhook", {}, () =>
    store.update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook"),
  );
  const traceOf = (name: string) =>
    tracing
      .spans()
      .find((span) => span.name === name)
      ?.spanContext().traceId ?? `no span ${name}`;
  return { paymentId: record.id, traces: [traceOf("create payment"), traceOf("apply webhook")] };
}

/** The trace id a W3C traceparent names ("00-<trace id>-<span id>-<flags>"). */
function traceIdOf(traceParent: unknown): string | undefined {
  if (typeof traceParent !== "string") return undefined;
  return /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceParent)?.[1];
}

describe.each([
  ["memory", async () => createMemoryPaymentStore()],
  ["PGlite", () => openPaymentStore({})],
])("outbox events in the trace that wrote them (%s store)", (_, open) => {
  it("publishes each event with the traceparent of the work that changed the payment", async () => {
    const store = await open();
    try {
      const { paymentId, traces } = await tracedChanges(store);
      const publisher = createMemoryEventPublisher();
      await createOutboxRelay({ store, publisher }).runOnce();
      expect(publisher.published().map((event) => [event.id, traceIdOf(event.headers?.traceparent)])).toEqual(
        [
          [`${paymentId}/1`, traces[0]],
          [`${paymentId}/2`, traces[1]],
        ],
      );
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
      const { paymentId, traces } = await tracedChanges(store);
      await createOutboxRelay({ store, publisher }).runOnce();
      const received = await waitFor(() => (observer.received.size === 2 ? observer.received : undefined));
      expect(traceIdOf(received.get(`${paymentId}/1`)?.headers.traceparent)).toBe(traces[0]);
      expect(traceIdOf(received.get(`${paymentId}/2`)?.headers.traceparent)).toBe(traces[1]);
    } finally {
      await publisher.close();
      await observer.close();
      await deleteExchange(amqp, exchange);
      await store.close();
    }
  });
});
