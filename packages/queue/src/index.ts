// Runtime exports of @paymesh/queue (issue 6). The vitest contract suite is "@paymesh/queue/contract".

export {
  createMemoryEventPublisher,
  type MemoryEventPublisher,
  type MemoryEventPublisherOptions,
  type PublishedEvent,
} from "./memory-event-publisher.ts";
export { createMemoryWorkQueue, type MemoryWorkQueueOptions, type QueueTimers } from "./memory-work-queue.ts";
export type {
  DeadLetters,
  EventPublisher,
  OutgoingMessage,
  QueueConsumer,
  QueueMessage,
  QueueSizes,
  WorkQueue,
} from "./queue.ts";
export { createRabbitEventPublisher, type RabbitEventPublisherOptions } from "./rabbit-event-publisher.ts";
export { RABBIT_QUEUE_TYPES, type RabbitQueueType } from "./rabbit-topology.ts";
export { createRabbitWorkQueue, type RabbitWorkQueueOptions } from "./rabbit-work-queue.ts";
export type { ReconnectBackoffOptions } from "./reconnect-backoff.ts";
export { DLQ_REASON_HEADER, type RetryOptions } from "./retry-policy.ts";
