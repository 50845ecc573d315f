import type { ConfirmChannel, GetMessage } from "amqplib";
import type { DeadLetters } from "./queue.ts";
import {
  closeQuietly,
  failedAttempts,
  publishOptions,
  sendConfirmed,
  toQueueMessage,
} from "./rabbit-message.ts";
import type { RabbitSession } from "./rabbit-session.ts";
import type { RabbitTopology } from "./rabbit-topology.ts";
import { DLQ_REASON_HEADER } from "./retry-policy.ts";

/**
 * DLQ inspection by scanning: a fresh channel basic.gets messages without acking them (the broker
 * never hands this channel a message it already holds), then closes, and the broker requeues them
 * in their original order. Limits: each call is O(DLQ length) round trips; while a scan runs, its
 * messages are invisible to other inspectors (a concurrent get can miss one); scans are serialized
 * per WorkQueue. Good for an operator's CLI on a DLQ of thousands, not for millions.
 * Each scan asks `session` for the current connection, so after a reconnect scans work again; a
 * scan cut short by a lost connection rejects, and the broker requeues what it held.
 */
export function createRabbitDeadLetters(
  session: () => Promise<RabbitSession>,
  topology: RabbitTopology,
): DeadLetters {
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => {});
    return result;
  };

  /** Holds messages until `visit` returns true (or the DLQ is exhausted); returns that message. */
  const scan = <T>(
    visit: (message: GetMessage, scan: ConfirmChannel, control: ConfirmChannel) => Promise<T | undefined>,
  ): Promise<T | undefined> =>
    serialized(async () => {
      const { connection, control } = await session();
      const channel = await connection.createConfirmChannel();
      channel.on("error", () => {});
      try {
        for (;;) {
          const message = await channel.get(topology.dlq, { noAck: false });
          if (message === false) return undefined;
          const found = await visit(message, channel, control);
          if (found !== undefined) return found;
        }
      } finally {
        await closeQuietly(channel);
      }
    });

  const view = (message: GetMessage) => toQueueMessage(message, topology.work, failedAttempts(message));
  const idOf = (message: GetMessage): unknown => message.properties.messageId;

  return {
    async list(limit) {
      const found: ReturnType<typeof view>[] = [];
      if (limit <= 0) return found;
      await scan(async (message) => {
        found.push(view(message));
        return found.length >= limit ? true : undefined;
      });
      return found;
    },
    get: (id) => scan(async (message) => (idOf(message) === id ? view(message) : undefined)),
    async replay(id) {
      const replayed = await scan(async (message, channel, control) => {
        if (idOf(message) !== id) return undefined;
        const { [DLQ_REASON_HEADER]: _reason, ...headers } = view(message).headers;
        // Confirmed in the work queue before the dead letter is acked: a crash duplicates, never loses.
        await sendConfirmed(
          control,
          topology.work,
          message.content,
          publishOptions({ id, body: message.content, headers }),
        );
        channel.ack(message);
        return true;
      });
      return replayed === true;
    },
    async drop(id) {
      const dropped = await scan(async (message, channel) => {
        if (idOf(message) !== id) return undefined;
        channel.ack(message);
        return true;
      });
      return dropped === true;
    },
  };
}
