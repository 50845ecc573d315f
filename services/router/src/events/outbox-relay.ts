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
  /**
   * The safety sweep: how often an idle relay looks for events no write told it about (a router
   * that stopped between its write and its relay pass). Writes through the store wake the relay at
   * once (PaymentStore.watchOutbox), so this is the only periodic database work of an idle router.
   * @default 10000
   */
  sweepIntervalMs?: number;
  /**
   * Passes start at least this far apart. A write after a quiet spell is relayed at once; under
   * load the writes of this interval go out together, in one pass (one transaction, one batch of
   * confirms), so the relay's database work stays a few statements per interval whatever the rate.
   * @default 50
   */
  minPassIntervalMs?: number;
  /** When another router's relay holds the outbox, how soon to try again. @default 50 */
  busyRetryMs?: number;
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
  const sweepIntervalMs = options.sweepIntervalMs ?? 10_000;
  const minPassIntervalMs = options.minPassIntervalMs ?? 50;
  const busyRetryMs = options.busyRetryMs ?? 50;
  const batchSize = options.batchSize ?? 200;
  const retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  const clock = options.clock ?? (() => new Date());
  const emit = options.onEvent ?? (() => {});
  let stopping = false;
  let loop: Promise<void> | undefined;
  let lastPurge = 0;
  // Set by every write that leaves events ready; cleared as a pass starts, which sees them all.
  let written = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  let stopWatching: (() => void) | undefined;

  /** Waits `ms`, or less: until stop(), or with `untilWritten` until a write leaves events ready. */
  const pause = (ms: number, untilWritten: boolean): Promise<void> => {
    if (stopping || (untilWritten && written)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
      wakeUp = untilWritten ? done : () => (stopping ? done() : undefined);
      timer = setTimeout(done, ms);
    });
  };

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
    let passStarted = 0;
    while (!stopping) {
      written = false;
      passStarted = Date.now();
      let result: RelayResult;
      try {
        result = await runOnce();
      } catch (error) {
        // The store itself failed (database away): same treatment as a failed publish.
        result = { published: 0, failed: 1, error };
        emit({ kind: "failed", failed: 1, error: describe(error) });
      }
      if (stopping) break;
      if (result.failed > 0) {
        // The broker or the database is away: new writes wait with the rest.
        backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
        await pause(backoffMs, false);
        continue;
      }
      backoffMs = 0;
      if (result.busy === true) {
        // Another router's relay holds the outbox; this router's events still need a pass.
        await pause(busyRetryMs, false);
        continue;
      }
      // A full batch means more may be waiting: go again at once.
      if (result.published >= batchSize) continue;
      await pause(sweepIntervalMs, true);
      const spacing = passStarted + minPassIntervalMs - Date.now();
      if (written && spacing > 0) await pause(spacing, false);
    }
  }

  return {
    runOnce,
    start(): void {
      if (loop !== undefined) return;
      stopping = false;
      stopWatching = store.watchOutbox(() => {
        written = true;
        wakeUp?.();
      });
      loop = run();
    },
    /** Stops after the pass in progress; a last pass sends what is ready, if the broker takes it. */
    async stop(): Promise<void> {
      stopping = true;
      stopWatching?.();
      stopWatching = undefined;
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
