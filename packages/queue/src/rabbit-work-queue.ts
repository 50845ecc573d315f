import { connect } from "amqplib";
import type { QueueConsumer, WorkQueue } from "./queue.ts";
import { startRabbitConsumer } from "./rabbit-consumer.ts";
import { createRabbitDeadLetters } from "./rabbit-dead-letters.ts";
import { closeQuietly, publishOptions, sendConfirmed } from "./rabbit-message.ts";
import { declareTopology, rabbitTopology } from "./rabbit-topology.ts";
import { type RetryOptions, resolveRetryPolicy } from "./retry-policy.ts";

/** Options for {@link createRabbitWorkQueue}. */
export interface RabbitWorkQueueOptions extends RetryOptions {
  /** AMQP URL, e.g. amqp://guest:guest@127.0.0.1:5672. */
  url: string;
  /** The work queue; retry queues are `${name}.retry.${ms}ms`, the DLQ `${name}.dlq`. */
  name: string;
  /** Unacked messages each consumer may hold at once. @default 10 */
  prefetch?: number;
}

/**
 * A WorkQueue on RabbitMQ classic durable queues: retries wait in per-delay TTL queues that
 * dead-letter back to the work queue, and exhausted messages go to a DLQ with the reason attached.
 * No reconnect in this first cut: a dropped connection fails enqueue and stops consumers, and the
 * owner must create a new queue (unacked messages are redelivered, so nothing is lost).
 */
export async function createRabbitWorkQueue(options: RabbitWorkQueueOptions): Promise<WorkQueue> {
  const policy = resolveRetryPolicy(options);
  const topology = rabbitTopology(options.name, policy);
  const prefetch = options.prefetch ?? 10;
  const connection = await connect(options.url);
  connection.on("error", () => {}); // surfaced as rejected operations instead of a process crash
  const control = await connection.createConfirmChannel();
  control.on("error", () => {});
  await declareTopology(control, topology, policy);
  const consumers = new Set<QueueConsumer>();

  return {
    async consume(handler) {
      const consumer = await startRabbitConsumer({ connection, topology, policy, prefetch }, handler);
      consumers.add(consumer);
      return {
        async stop() {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },
    async enqueue(message) {
      await sendConfirmed(control, topology.work, message.body, publishOptions(message));
    },
    deadLetters: createRabbitDeadLetters(connection, control, topology),
    async close() {
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
      await closeQuietly(control);
      await closeQuietly(connection);
    },
  };
}
