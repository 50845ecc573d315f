import type { EventPublisher } from "@paymesh/queue";
import type { OutboxEvent, PaymentStore, RelayResult } from "@paymesh/store";
import { inTraceOf } from "@paymesh/telemetry";
import { withTimeLimit } from "../time-limit.ts";

/** What the relay did, for logs and metrics. */
export type RelayEvent =
  | { kind: "published"; count: number }
  | { kind: "failed"; failed: number; error: string }
  | { kind: "purged"; count: number };

/** Options for createOutboxRelay. */
export interface OutboxRelayOptions {
  store: PaymentStore;
  publisher: EventPublisher;
  /** Wait between passes when the outbox is empty. @default 200 */
  intervalMs?: number;
  /** Events per pass. @default 200 */
  batchSize?: number;
  /** Published events older than this are deleted. @default 7 days */
  retentionMs?: number;
  /**
   * Longest wait for the broker's confirm of one event; a pass holds a database transaction while
   * it publishes, so a broker that stops answering (flow control, a half-open socket) must not hold
   * it for long. A timed-out event stays in the outbox. @default 10000
   */
  publishTimeoutMs?: number;
  clock?: () => Date;
  onEvent?: (event: RelayEvent) => void;
}

/** Longest wait after failed passes, while the broker is away. */
const MAX_BACKOFF_MS = 5_000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Publishes the store's outbox to payments.events: each event with its id (for consumers to
 * deduplicate), routing key "<method>.<status>", confirmed by the broker before it is marked
 * published. An event whose publish fails stays in the outbox and goes out on a later pass, so a
 * broker outage delays events and loses none; passes back off while it lasts.
 */
export function createOutboxRelay(options: OutboxRelayOptions) {
  const { store, publisher } = options;
  const intervalMs = options.intervalMs ?? 200;
  const batchSize = options.batchSize ?? 200;
  const retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  const clock = options.clock ?? (() => new Date());
  const emit = options.onEvent ?? (() => {});
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let lastPurge = 0;

  // Published in the trace of the work that wrote the event, whose traceparent it carries: a
  // consumer's spans join that trace (amqplib's instrumentation, when on, puts its publish span
  // between them and rewrites the header to name it).
  const publish = (event: OutboxEvent): Promise<void> => {
    const trace = event.traceParent === undefined ? {} : { traceparent: event.traceParent };
    return inTraceOf(event.traceParent, () =>
      withTimeLimit(
        publisher.publish(event.routingKey, {
          id: event.eventId,
          body: event.payload,
          headers: {
            ...trace,
            "content-type": "application/x-protobuf",
            "x-paymesh-type": "payments.v1.PaymentEvent",
            "x-paymesh-payment-id": event.paymentId,
            "x-paymesh-version": String(event.version),
          },
        }),
        publishTimeoutMs,
        `no confirm for event ${event.eventId} within ${publishTimeoutMs} ms`,
      ),
    );
  };

  /** One pass; what it did. */
  async function runOnce(): Promise<RelayResult> {
    const result = await store.relayOutbox(batchSize, publish);
    if (result.published > 0) emit({ kind: "published", count: result.published });
    if (result.failed > 0) emit({ kind: "failed", failed: result.failed, error: describe(result.error) });
    const now = clock().getTime();
    if (now - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = now;
      const purged = await store.purgeOutbox(new Date(now - retentionMs));
      if (purged > 0) emit({ kind: "purged", count: purged });
    }
    return result;
  }

  async function run(): Promise<void> {
    let backoffMs = 0;
    while (!stopping) {
      let result: RelayResult;
      try {
        result = await runOnce();
      } catch (error) {
        // The store itself failed (database away): same treatment as a failed publish.
        result = { published: 0, failed: 1, error };
        emit({ kind: "failed", failed: 1, error: describe(error) });
      }
      if (result.failed > 0) backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
      else backoffMs = 0;
      if (stopping) break;
      // A full batch means more may be waiting: go again at once.
      if (result.failed === 0 && result.published >= batchSize) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, backoffMs > 0 ? backoffMs : intervalMs);
      });
      wakeUp = undefined;
    }
  }

  return {
    runOnce,
    start(): void {
      if (loop !== undefined) return;
      stopping = false;
      loop = run();
    },
    /** Stops after the pass in progress; a last pass sends what is ready, if the broker takes it. */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      wakeUp?.();
      await loop;
      loop = undefined;
      await runOnce().catch(() => undefined);
    },
  };
}

/** The outbox relay. */
export type OutboxRelay = ReturnType<typeof createOutboxRelay>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
