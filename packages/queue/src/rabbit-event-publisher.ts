import { connect } from "amqplib";
import type { EventPublisher, OutgoingMessage } from "./queue.ts";
import { closeQuietly, publishOptions } from "./rabbit-message.ts";

/** Options for {@link createRabbitEventPublisher}. */
export interface RabbitEventPublisherOptions {
  /** AMQP URL, e.g. amqp://guest:guest@127.0.0.1:5672. */
  url: string;
  /** Topic exchange the events go to; declared if missing. @default "payments.events" */
  exchange?: string;
  /** Whether the exchange and messages survive a broker restart. @default true */
  durable?: boolean;
}

/**
 * Publishes to a RabbitMQ topic exchange over a confirm channel: `publish` resolves only after the
 * broker took responsibility for the message, which is what lets an outbox relay mark a row sent.
 * No reconnect in this first cut: once the connection drops, publish rejects and the caller
 * (the relay) must create a new publisher. A message no queue is bound for is confirmed and dropped.
 */
export async function createRabbitEventPublisher(
  options: RabbitEventPublisherOptions,
): Promise<EventPublisher> {
  const exchange = options.exchange ?? "payments.events";
  const durable = options.durable ?? true;
  const connection = await connect(options.url);
  // Without a listener an "error" event (broker gone) would crash the process; publish rejects instead.
  connection.on("error", () => {});
  const channel = await connection.createConfirmChannel();
  channel.on("error", () => {});
  await channel.assertExchange(exchange, "topic", { durable });

  return {
    publish(routingKey: string, message: OutgoingMessage) {
      return new Promise<void>((resolve, reject) => {
        const content = Buffer.from(message.body);
        const settle = (error: unknown): void => {
          if (error === null || error === undefined) resolve();
          else
            reject(error instanceof Error ? error : new Error(`broker rejected the event: ${String(error)}`));
        };
        try {
          channel.publish(
            exchange,
            routingKey,
            content,
            { ...publishOptions(message), persistent: durable },
            settle,
          );
        } catch (error) {
          settle(error ?? new Error("publish failed"));
        }
      });
    },
    async close() {
      await closeQuietly(channel);
      await closeQuietly(connection);
    },
  };
}
