import type { ConfirmChannel, Message, Options } from "amqplib";
import type { OutgoingMessage, QueueMessage } from "./queue.ts";
import { ATTEMPTS_HEADER } from "./retry-policy.ts";

// Broker bookkeeping (dead-lettering adds these) and our own counter: not the producer's headers.
const HIDDEN_HEADER = /^x-(death$|first-death-|last-death-|paymesh-attempts$)/;

/** Failed attempts recorded on a message; 0 on its first delivery. */
export function failedAttempts(message: Message): number {
  const value: unknown = message.properties.headers?.[ATTEMPTS_HEADER];
  const count = typeof value === "number" ? value : Number(value ?? 0);
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/** An AMQP delivery as a QueueMessage; `attempts` is given since it means different things per queue. */
export function toQueueMessage(message: Message, routingKey: string, attempts: number): QueueMessage {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.properties.headers ?? {})) {
    if (HIDDEN_HEADER.test(key)) continue;
    if (typeof value === "string") headers[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") headers[key] = String(value);
  }
  const id: unknown = message.properties.messageId;
  return {
    id: typeof id === "string" ? id : "",
    body: new Uint8Array(message.content),
    headers,
    attempts,
    routingKey,
  };
}

/** Publish options carrying the id and headers; persistent, so a durable queue survives a restart. */
export function publishOptions(
  message: OutgoingMessage,
  extra: Record<string, string | number> = {},
): Options.Publish {
  return {
    messageId: message.id,
    headers: { ...message.headers, ...extra },
    persistent: true,
    contentType: "application/octet-stream",
  };
}

/** Sends to a queue through the default exchange and resolves once the broker confirmed it. */
export function sendConfirmed(
  channel: ConfirmChannel,
  queue: string,
  body: Uint8Array,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.sendToQueue(queue, Buffer.from(body), options, (error: unknown) => {
      if (error === null || error === undefined) resolve();
      else
        reject(error instanceof Error ? error : new Error(`broker rejected the message: ${String(error)}`));
    });
  });
}

/** Closes a channel or connection that may already be gone; closing twice is not an error here. */
export async function closeQuietly(closable: { close(): Promise<void> }): Promise<void> {
  try {
    await closable.close();
  } catch {
    // Already closed (by us, the broker or a dropped socket): nothing left to release.
  }
}
