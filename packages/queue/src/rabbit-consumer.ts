import type { ChannelModel, ConsumeMessage } from "amqplib";
import type { QueueConsumer, QueueMessage } from "./queue.ts";
import {
  closeQuietly,
  failedAttempts,
  publishOptions,
  sendConfirmed,
  toQueueMessage,
} from "./rabbit-message.ts";
import type { RabbitSession } from "./rabbit-session.ts";
import type { RabbitTopology } from "./rabbit-topology.ts";
import {
  ATTEMPTS_HEADER,
  DLQ_REASON_HEADER,
  failureReason,
  type RetryPolicy,
  retryDelayIndex,
} from "./retry-policy.ts";

/** What {@link startRabbitConsumer} needs from its work queue. */
export interface RabbitConsumerContext {
  connection: ChannelModel;
  topology: RabbitTopology;
  policy: RetryPolicy;
  prefetch: number;
  /** The channel closed or the broker cancelled the consumer, without `stop`: it consumes no more. */
  onLost(): void;
}

/**
 * Consumes on a channel of its own. A failed message is first copied (confirmed) to its retry queue
 * or the DLQ and only then acked, so a crash in between duplicates it rather than losing it.
 * `stop` closes the channel: the broker requeues whatever is unacked, for another consumer.
 * Losing the channel any other way is reported through `onLost`; resuming is the owner's business.
 */
export async function startRabbitConsumer(
  context: RabbitConsumerContext,
  handler: (message: QueueMessage) => Promise<void>,
): Promise<QueueConsumer> {
  const { topology, policy } = context;
  const channel = await context.connection.createConfirmChannel();
  channel.on("error", () => {});
  let stopped = false;
  channel.on("close", () => {
    if (stopped) return;
    stopped = true;
    context.onLost();
  });
  await channel.prefetch(context.prefetch);

  const settle = async (delivery: ConsumeMessage, message: QueueMessage, error: unknown): Promise<void> => {
    const outgoing = { id: message.id, body: message.body, headers: message.headers };
    if (message.attempts >= policy.maxAttempts) {
      const extra = { [DLQ_REASON_HEADER]: failureReason(error), [ATTEMPTS_HEADER]: message.attempts };
      await sendConfirmed(channel, topology.dlq, message.body, publishOptions(outgoing, extra));
    } else {
      const queue = topology.retry[retryDelayIndex(policy, message.attempts)] ?? topology.work;
      await sendConfirmed(
        channel,
        queue,
        message.body,
        publishOptions(outgoing, { [ATTEMPTS_HEADER]: message.attempts }),
      );
    }
    channel.ack(delivery);
  };

  const onDelivery = async (delivery: ConsumeMessage | null): Promise<void> => {
    if (delivery === null) {
      // Cancelled by the broker (queue deleted, node down): the owner re-declares and resumes.
      context.onLost();
      return;
    }
    const message = toQueueMessage(delivery, topology.work, failedAttempts(delivery) + 1);
    try {
      await handler(message);
    } catch (error) {
      if (!stopped) await settle(delivery, message, error).catch(() => {});
      return;
    }
    // After stop the channel is gone and the broker has already requeued the message.
    if (stopped) return;
    try {
      channel.ack(delivery);
    } catch {
      // The channel closed under us (broker or socket): the message will be redelivered.
    }
  };

  await channel.consume(topology.work, (delivery) => void onDelivery(delivery), { noAck: false });
  return {
    async stop() {
      stopped = true;
      await closeQuietly(channel);
    },
  };
}

/** A consumer that outlives connections: its owner resumes it on every new session. */
export interface ResumableConsumer extends QueueConsumer {
  /** Starts consuming on `session` unless already started there (or stopped); resolves once it runs. */
  resumeOn(session: RabbitSession): Promise<void>;
}

/**
 * Wraps {@link startRabbitConsumer} for a WorkQueue that reconnects. A consumer whose channel breaks
 * drops its whole session, so that the reconnect resumes every consumer in one place. Messages
 * unacked when a connection died are redelivered by the broker to whichever consumer runs next,
 * possibly while the old handler call is still running: delivery stays at least once.
 */
export function resumableRabbitConsumer(
  context: Omit<RabbitConsumerContext, "connection" | "onLost">,
  handler: (message: QueueMessage) => Promise<void>,
): ResumableConsumer {
  let stopped = false;
  let running: { session: RabbitSession; consumer: Promise<QueueConsumer> } | undefined;
  return {
    async resumeOn(session) {
      if (stopped) return;
      let current = running;
      if (current === undefined || current.session !== session) {
        const connection = session.connection;
        current = {
          session,
          consumer: startRabbitConsumer({ ...context, connection, onLost: session.drop }, handler),
        };
        running = current;
      }
      await current.consumer;
    },
    async stop() {
      stopped = true;
      const consumer = await running?.consumer.catch(() => undefined);
      await consumer?.stop();
    },
  };
}
