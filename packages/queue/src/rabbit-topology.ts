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
 * Declares the work queue, the retry queues and the DLQ, all classic durable queues. A retry queue
 * has no consumer: its x-message-ttl holds a message for the delay, then x-dead-letter-exchange ""
 * (the default exchange) routes it back to the work queue. Quorum queues (docs/architecture.md §6, "at scale")
 * would also work here, since per-queue TTL and dead-lettering behave the same.
 */
export async function declareTopology(
  channel: Channel,
  topology: RabbitTopology,
  policy: RetryPolicy,
): Promise<void> {
  await channel.assertQueue(topology.work, { durable: true });
  await channel.assertQueue(topology.dlq, { durable: true });
  for (const [index, queue] of topology.retry.entries()) {
    await channel.assertQueue(queue, {
      durable: true,
      messageTtl: policy.retryDelaysMs[index],
      deadLetterExchange: "",
      deadLetterRoutingKey: topology.work,
    });
  }
}

/** Deletes every queue of a topology (tests clean up after themselves on a shared broker). */
export async function deleteTopology(channel: Channel, topology: RabbitTopology): Promise<void> {
  for (const queue of [topology.work, ...topology.retry, topology.dlq]) await channel.deleteQueue(queue);
}
