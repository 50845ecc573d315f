/** A message as a consumer sees it: what was enqueued or published, plus delivery bookkeeping. */
export interface QueueMessage {
  /** The producer's id; consumers deduplicate by it (delivery is at least once). */
  id: string;
  body: Uint8Array;
  /** The producer's headers, plus `x-paymesh-dlq-reason` on a dead letter. */
  headers: Record<string, string>;
  /** 1 on the first delivery, counting each failed handler run before this one. */
  attempts: number;
  routingKey: string;
}

/** What a producer hands over: an id the consumers can deduplicate by, opaque bytes, string headers. */
export interface OutgoingMessage {
  id: string;
  body: Uint8Array;
  headers?: Record<string, string>;
}

/** Publishes events to a topic exchange (payments.events), for any number of bound consumers. */
export interface EventPublisher {
  /** Resolves only once the broker confirmed the message (publisher confirms); rejects otherwise. */
  publish(routingKey: string, message: OutgoingMessage): Promise<void>;
  close(): Promise<void>;
}

/** A running consumer; `stop` returns its unfinished messages to the queue for another consumer. */
export interface QueueConsumer {
  stop(): Promise<void>;
}

/** Inspection and repair of the messages that exhausted their attempts. */
export interface DeadLetters {
  /** Up to `limit` dead letters, oldest first. */
  list(limit: number): Promise<QueueMessage[]>;
  get(id: string): Promise<QueueMessage | undefined>;
  /** Moves the dead letter back to the work queue with a fresh attempt count; false if not found. */
  replay(id: string): Promise<boolean>;
  /** Deletes the dead letter for good; false if not found. */
  drop(id: string): Promise<boolean>;
}

/** A work queue with retries and a dead-letter queue (issue 6, "Work queue with retries and a DLQ"). */
export interface WorkQueue {
  /**
   * Whether enqueued messages survive this process (a broker's durable queues) or die with it (the
   * in-process queue). A producer that answers someone "taken" must know which it is relying on.
   */
  readonly durable: boolean;
  /** The queue's name, as metrics label it. */
  readonly name: string;
  /**
   * Consumes with at-least-once delivery: the handler's success acks; a throw retries with growing
   * delay, and after maxAttempts the message lands in the dead-letter queue with the reason attached
   * (header `x-paymesh-dlq-reason`, attempts). A consumer that dies mid-message gets it redelivered.
   */
  consume(handler: (message: QueueMessage) => Promise<void>): Promise<QueueConsumer>;
  enqueue(message: OutgoingMessage): Promise<void>;
  deadLetters: DeadLetters;
  /** How many messages wait (for a consumer or for their retry delay) and how many are dead letters. */
  sizes(): Promise<QueueSizes>;
  close(): Promise<void>;
}

/** WorkQueue.sizes: what the work-queue depth and DLQ gauges show. */
export interface QueueSizes {
  /** Ready for a consumer or waiting out a retry delay; not those a consumer holds right now. */
  waiting: number;
  deadLetters: number;
}
