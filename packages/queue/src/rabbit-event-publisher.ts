import { setTimeout as sleep } from "node:timers/promises";
import type { EventPublisher, OutgoingMessage } from "./queue.ts";
import { closeQuietly, publishOptions } from "./rabbit-message.ts";
import { openRabbitSession, type RabbitSession } from "./rabbit-session.ts";
import { createReconnectBackoff, type ReconnectBackoffOptions } from "./reconnect-backoff.ts";

/** Options for {@link createRabbitEventPublisher}. */
export interface RabbitEventPublisherOptions {
  /** AMQP URL, e.g. amqp://guest:guest@127.0.0.1:5672. */
  url: string;
  /** Topic exchange the events go to; declared if missing. @default "payments.events" */
  exchange?: string;
  /** Whether the exchange and messages survive a broker restart. @default true */
  durable?: boolean;
  /** Spacing of connection attempts after a failed one. @default { initialDelayMs: 100, maxDelayMs: 5_000 } */
  reconnect?: ReconnectBackoffOptions;
}

/**
 * Publishes to a RabbitMQ topic exchange over a confirm channel: `publish` resolves only after the
 * broker took responsibility for the message, which is what lets an outbox relay mark a row sent.
 * A message no queue is bound for is confirmed and dropped.
 *
 * The first connect is awaited (and the exchange declared), so a wrong URL or password fails at
 * startup and consumers can bind to the exchange as soon as this resolves. A connection or channel
 * lost later rejects the publishes awaiting their confirm (the relay retries them: at least once),
 * and the next `publish` reconnects. A failed attempt makes the following one wait (100 ms doubling
 * to 5 s by default), and concurrent publishes share one attempt, so a relay looping on publish
 * while the broker is down neither hammers it nor spins.
 */
export async function createRabbitEventPublisher(
  options: RabbitEventPublisherOptions,
): Promise<EventPublisher> {
  const exchange = options.exchange ?? "payments.events";
  const durable = options.durable ?? true;
  const backoff = createReconnectBackoff(options.reconnect);
  const stopping = new AbortController();
  const closedError = () => new Error("the RabbitMQ event publisher is closed");
  let live: RabbitSession | undefined;
  let connecting: Promise<RabbitSession> | undefined;
  /** No connection attempt before this time (performance.now): the backoff after a failed one. */
  let notBefore = 0;

  const open = (): Promise<RabbitSession> =>
    openRabbitSession(
      options.url,
      async ({ control }) => {
        await control.assertExchange(exchange, "topic", { durable });
      },
      (lost) => {
        if (live === lost) live = undefined;
      },
    );

  const reconnect = async (): Promise<RabbitSession> => {
    const wait = notBefore - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal: stopping.signal }).catch(() => {});
    if (stopping.signal.aborted) throw closedError();
    let session: RabbitSession;
    try {
      session = await open();
    } catch (error) {
      notBefore = performance.now() + backoff.next();
      throw error;
    }
    if (stopping.signal.aborted) {
      await closeQuietly(session.connection);
      throw closedError();
    }
    backoff.reset();
    live = session;
    return session;
  };

  const currentSession = (): Promise<RabbitSession> => {
    if (stopping.signal.aborted) return Promise.reject(closedError());
    if (live !== undefined) return Promise.resolve(live);
    if (connecting === undefined) {
      const attempt = reconnect();
      const forget = (): void => {
        if (connecting === attempt) connecting = undefined;
      };
      attempt.then(forget, forget);
      connecting = attempt;
    }
    return connecting;
  };

  live = await open();

  return {
    async publish(routingKey: string, message: OutgoingMessage) {
      const { control } = await currentSession();
      return new Promise<void>((resolve, reject) => {
        const content = Buffer.from(message.body);
        const settle = (error: unknown): void => {
          if (error === null || error === undefined) resolve();
          else
            reject(error instanceof Error ? error : new Error(`broker rejected the event: ${String(error)}`));
        };
        try {
          control.publish(
            exchange,
            routingKey,
            content,
            { ...publishOptions(message), persistent: durable },
            settle,
          );
        } catch (error) {
          // The channel is already closed: amqplib throws instead of calling back.
          settle(error ?? new Error("publish failed"));
        }
      });
    },
    async close() {
      stopping.abort();
      // An attempt in flight closes what it opened; wait for it so no connection outlives close().
      await connecting?.catch(() => {});
      const session = live;
      live = undefined;
      if (session !== undefined) await closeQuietly(session.connection);
    },
  };
}
