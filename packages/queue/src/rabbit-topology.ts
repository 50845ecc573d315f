import type { Channel } from "amqplib";
import type { RetryPolicy } from "./retry-policy.ts";

/** The queue names of one work queue. */
export interface RabbitTopology {
  work: string;
  /** One per distinct delay, named by it: changing the delays declares new queues, never conflicts. */
  retry: readonly string[];
  dlq: string;
}

/** Names the queues of work queue `name` for the given retry policy. */
export function rabbitTopology(name: string, policy: RetryPolicy): RabbitTopology {
  return {
    work: name,
    retry: policy.retryDelaysMs.map((ms) => `${name}.retry.${ms}ms`),
    dlq: `${name}.dlq`,
  };
}

/**
 * The kind of RabbitMQ queue a work queue is made of: "classic" (one node holds it) or "quorum"
 * (replicated over the cluster's nodes by Raft, so losing a broker node loses no message; per-queue
 * TTL and dead-lettering, which the retries rely on, work the same from RabbitMQ 3.10).
 */
export type RabbitQueueType = "classic" | "quorum";

/** The queue types {@link RabbitQueueType} allows, for config parsing. */
export const RABBIT_QUEUE_TYPES: readonly RabbitQueueType[] = ["classic", "quorum"];

/**
 * Declares the work queue, the retry queues and the DLQ, all durable and all of `queueType`. A
 * retry queue has no consumer: its x-message-ttl holds a message for the delay, then
 * x-dead-letter-exchange "" (the default exchange) routes it back to the work queue. A queue's
 * type is fixed when it is first declared: redeclaring it with another type fails, so changing the
 * type of a running system means draining and deleting the old queues first.
 */
export async function declareTopology(
  channel: Channel,
  topology: RabbitTopology,
  policy: RetryPolicy,
  queueType: RabbitQueueType = "classic",
): Promise<void> {
  // Classic is the broker's default: saying nothing keeps queues declared before this option valid.
  const typed = queueType === "classic" ? {} : { arguments: { "x-queue-type": queueType } };
  await channel.assertQueue(topology.work, { durable: true, ...typed });
  await channel.assertQueue(topology.dlq, { durable: true, ...typed });
  for (const [index, queue] of topology.retry.entries()) {
    await channel.assertQueue(queue, {
      durable: true,
      messageTtl: policy.retryDelaysMs[index],
      deadLetterExchange: "",
      deadLetterRoutingKey: topology.work,
      ...typed,
    });
  }
}

/** Deletes every queue of a topology (tests clean up after themselves on a shared broker). */
export async function deleteTopology(channel: Channel, topology: RabbitTopology): Promise<void> {
  for (const queue of [topology.work, ...topology.retry, topology.dlq]) await channel.deleteQueue(queue);
}
