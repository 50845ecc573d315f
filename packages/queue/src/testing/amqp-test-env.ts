import { randomUUID } from "node:crypto";
import { connect } from "amqplib";
import { deleteTopology, rabbitTopology } from "../rabbit-topology.ts";
import { resolveRetryPolicy } from "../retry-policy.ts";

/**
 * AMQP_URL for real-backend tests, or undefined to register none. With PAYMESH_REQUIRE_BACKENDS=1
 * (set by CI) a missing URL throws while the test file is collected, so a misconfigured pipeline
 * fails loudly instead of passing with the RabbitMQ tests silently absent.
 */
export function amqpUrlForTests(): string | undefined {
  const url = process.env.AMQP_URL;
  if ((url === undefined || url === "") && process.env.PAYMESH_REQUIRE_BACKENDS === "1") {
    throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but AMQP_URL is not set: the RabbitMQ tests cannot run");
  }
  return url === "" ? undefined : url;
}

/** A queue or exchange name no other test run uses, since other suites share the same broker. */
export function uniqueTestName(label: string): string {
  return `paymesh.test.${label}.${randomUUID()}`;
}

/** Deletes the queues a work queue declared (never purges anything else: the broker is shared). */
export async function deleteWorkQueue(
  url: string,
  name: string,
  retryDelaysMs: readonly number[],
): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    await deleteTopology(channel, rabbitTopology(name, resolveRetryPolicy({ retryDelaysMs })));
    await channel.close();
  } finally {
    await connection.close();
  }
}

/** Deletes an exchange a test declared. */
export async function deleteExchange(url: string, exchange: string): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

/** The broker's host and port from an AMQP URL (5672 when the URL names none). */
export function amqpTarget(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port === "" ? 5672 : Number(parsed.port) };
}

/** The same AMQP URL (credentials, vhost, query) pointed at a local proxy port instead. */
export function proxiedAmqpUrl(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(port);
  return parsed.href;
}

/** What an {@link observeExchange} queue has received, by message id. */
export interface ExchangeObserver {
  /** Message id → its routing key, body, AMQP headers and how many copies arrived (at-least-once). */
  readonly received: ReadonlyMap<
    string,
    { routingKey: string; body: Uint8Array; headers: Record<string, unknown>; copies: number }
  >;
  /** Closes the connection; the broker deletes the exclusive queue with it. */
  close(): Promise<void>;
}

/**
 * Binds an exclusive queue of the test's own to the topic exchange (declared if missing, durable)
 * with `pattern`, straight on the broker, and records every message that arrives.
 */
export async function observeExchange(
  url: string,
  exchange: string,
  pattern = "#",
): Promise<ExchangeObserver> {
  const connection = await connect(url);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, "topic", { durable: true });
  const { queue } = await channel.assertQueue("", { exclusive: true });
  await channel.bindQueue(queue, exchange, pattern);
  const received = new Map<
    string,
    { routingKey: string; body: Uint8Array; headers: Record<string, unknown>; copies: number }
  >();
  await channel.consume(
    queue,
    (message) => {
      if (message === null) return;
      const id = String(message.properties.messageId);
      const copies = (received.get(id)?.copies ?? 0) + 1;
      received.set(id, {
        routingKey: message.fields.routingKey,
        body: new Uint8Array(message.content),
        headers: { ...message.properties.headers },
        copies,
      });
    },
    { noAck: true },
  );
  return { received, close: () => connection.close() };
}
