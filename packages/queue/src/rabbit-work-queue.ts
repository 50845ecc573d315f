import type { WorkQueue } from "./queue.ts";
import { type ResumableConsumer, resumableRabbitConsumer } from "./rabbit-consumer.ts";
import { createRabbitDeadLetters } from "./rabbit-dead-letters.ts";
import { closeQuietly, publishOptions, sendConfirmed } from "./rabbit-message.ts";
import { superviseRabbitSession } from "./rabbit-supervisor.ts";
import { declareTopology, type RabbitQueueType, rabbitTopology } from "./rabbit-topology.ts";
import { createReconnectBackoff, type ReconnectBackoffOptions } from "./reconnect-backoff.ts";
import { type RetryOptions, resolveRetryPolicy } from "./retry-policy.ts";

/** Options for {@link createRabbitWorkQueue}. */
export interface RabbitWorkQueueOptions extends RetryOptions {
  /** AMQP URL, e.g. amqp://guest:guest@127.0.0.1:5672. */
  url: string;
  /** The work queue; retry queues are `${name}.retry.${ms}ms`, the DLQ `${name}.dlq`. */
  name: string;
  /** Unacked messages each consumer may hold at once. @default 10 */
  prefetch?: number;
  /** Classic or quorum queues (see RabbitQueueType). @default "classic" */
  queueType?: RabbitQueueType;
  /**
   * How long `enqueue`, `consume` and the `deadLetters` operations wait for a lost connection to
   * come back before rejecting. Long enough to ride out a broker restart or a failover, short
   * enough that a webhook endpoint still answers 5xx well within the provider's timeout.
   * @default 2_000
   */
  connectionWaitMs?: number;
  /** Spacing of the background reconnection attempts. @default { initialDelayMs: 100, maxDelayMs: 5_000 } */
  reconnect?: ReconnectBackoffOptions;
  /** The connection dropped, or an attempt to re-establish it failed: for logs and metrics. */
  onConnectionError?: (error: Error) => void;
}

/**
 * A WorkQueue on RabbitMQ durable queues (classic, or quorum with `queueType`): retries wait in per-delay TTL queues that
 * dead-letter back to the work queue, and exhausted messages go to a DLQ with the reason attached.
 *
 * The first connect is awaited, so a wrong URL fails at startup. A connection lost later is
 * re-established in the background with backoff until `close()`: the topology is declared again
 * and every running consumer resumes (the broker redelivers what was unacked when the connection
 * died). While the connection is down, `enqueue` waits up to `connectionWaitMs` for it and then
 * rejects, and so does an `enqueue` whose confirm the lost connection swallowed: the caller answers
 * 5xx and the provider redelivers, so a message may be enqueued twice (consumers deduplicate by id),
 * never silently lost.
 */
export async function createRabbitWorkQueue(options: RabbitWorkQueueOptions): Promise<WorkQueue> {
  const policy = resolveRetryPolicy(options);
  const topology = rabbitTopology(options.name, policy);
  const prefetch = options.prefetch ?? 10;
  const waitMs = options.connectionWaitMs ?? 2_000;
  const consumers = new Set<ResumableConsumer>();
  const supervisor = await superviseRabbitSession({
    url: options.url,
    backoff: createReconnectBackoff(options.reconnect),
    onConnectionError: options.onConnectionError,
    async setup(session) {
      await declareTopology(session.control, topology, policy, options.queueType);
      await Promise.all([...consumers].map((consumer) => consumer.resumeOn(session)));
    },
  });
  const session = () => supervisor.session(waitMs);

  return {
    durable: true,
    name: options.name,
    async consume(handler) {
      const consumer = resumableRabbitConsumer({ topology, policy, prefetch }, handler);
      // Registered first, so a reconnect that happens meanwhile resumes it too.
      consumers.add(consumer);
      try {
        await consumer.resumeOn(await session());
      } catch (error) {
        consumers.delete(consumer);
        await consumer.stop();
        throw error;
      }
      return {
        async stop() {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },
    async enqueue(message) {
      const { control } = await session();
      await sendConfirmed(control, topology.work, message.body, publishOptions(message));
    },
    deadLetters: createRabbitDeadLetters(session, topology),
    async sizes() {
      // A channel of its own: a failed check (a queue deleted under us) closes only that channel.
      const channel = await (await session()).connection.createChannel();
      channel.on("error", () => {});
      try {
        const count = async (queue: string) => (await channel.checkQueue(queue)).messageCount;
        const waiting = await Promise.all([topology.work, ...topology.retry].map(count));
        return { waiting: waiting.reduce((sum, n) => sum + n, 0), deadLetters: await count(topology.dlq) };
      } finally {
        await closeQuietly(channel);
      }
    },
    async close() {
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
      await supervisor.close();
    },
  };
}
