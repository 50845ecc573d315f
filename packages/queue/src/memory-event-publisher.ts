import type { EventPublisher, OutgoingMessage } from "./queue.ts";

/** One event as the memory publisher recorded it. */
export interface PublishedEvent {
  routingKey: string;
  id: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

/** An EventPublisher that records instead of sending: the embedded default and a test double. */
export interface MemoryEventPublisher extends EventPublisher {
  /** Everything published so far, oldest first (copies). */
  published(): PublishedEvent[];
}

/** Options for {@link createMemoryEventPublisher}. */
export interface MemoryEventPublisherOptions {
  /** Keep only the newest this many events (a long-running embedded router). @default all */
  retain?: number;
}

/** Creates a {@link MemoryEventPublisher}. Publishing after close rejects, as on a closed channel. */
export function createMemoryEventPublisher(options: MemoryEventPublisherOptions = {}): MemoryEventPublisher {
  const retain = options.retain ?? Number.POSITIVE_INFINITY;
  const events: PublishedEvent[] = [];
  let closed = false;
  const copy = (event: PublishedEvent): PublishedEvent => ({
    ...event,
    body: new Uint8Array(event.body),
    headers: { ...event.headers },
  });
  return {
    async publish(routingKey: string, message: OutgoingMessage) {
      if (closed) throw new Error("event publisher is closed");
      events.push(copy({ routingKey, id: message.id, body: message.body, headers: message.headers ?? {} }));
      if (events.length > retain) events.splice(0, events.length - retain);
    },
    published: () => events.map(copy),
    async close() {
      closed = true;
    },
  };
}
