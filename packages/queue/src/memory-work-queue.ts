import type { OutgoingMessage, QueueConsumer, QueueMessage, WorkQueue } from "./queue.ts";
import {
  DLQ_REASON_HEADER,
  failureReason,
  type RetryOptions,
  resolveRetryPolicy,
  retryDelayIndex,
} from "./retry-policy.ts";

/** The timer functions the memory queue waits with; tests may pass fake ones. */
export interface QueueTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options for {@link createMemoryWorkQueue}. */
export interface MemoryWorkQueueOptions extends RetryOptions {
  /** Name reported as each message's routingKey. @default "work" */
  name?: string;
  /** Where retry delays are waited out. @default the global setTimeout/clearTimeout */
  timers?: QueueTimers;
}

type Handler = (message: QueueMessage) => Promise<void>;
interface Consumer {
  handler: Handler;
  inFlight: Set<QueueMessage>;
  stopped: boolean;
}

const copy = (m: QueueMessage): QueueMessage => ({
  ...m,
  body: new Uint8Array(m.body),
  headers: { ...m.headers },
});

/**
 * The embedded WorkQueue: one process, nothing to install, the RabbitMQ queue's semantics. Each
 * consumer takes one message at a time. Messages live in memory only: a process exit loses them.
 */
export function createMemoryWorkQueue(options: MemoryWorkQueueOptions = {}): WorkQueue {
  const policy = resolveRetryPolicy(options);
  const timers: QueueTimers = options.timers ?? {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const routingKey = options.name ?? "work";
  const ready: QueueMessage[] = [];
  const dead: QueueMessage[] = [];
  const consumers: Consumer[] = [];
  const pending = new Set<unknown>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new Error("work queue is closed");
  };

  const dispatch = (): void => {
    for (const consumer of consumers) {
      if (consumer.stopped || consumer.inFlight.size > 0) continue;
      const message = ready.shift();
      if (message === undefined) return;
      consumer.inFlight.add(message);
      void run(consumer, message);
    }
  };

  const run = async (consumer: Consumer, message: QueueMessage): Promise<void> => {
    let failure: unknown;
    let failed = false;
    try {
      await consumer.handler(copy(message));
    } catch (error) {
      failed = true;
      failure = error;
    }
    // A stopped consumer's late result is ignored: its message already went back to the queue.
    if (consumer.stopped || !consumer.inFlight.delete(message)) return;
    if (failed) settleFailure(message, failure);
    dispatch();
  };

  const settleFailure = (message: QueueMessage, error: unknown): void => {
    if (message.attempts >= policy.maxAttempts) {
      dead.push({ ...message, headers: { ...message.headers, [DLQ_REASON_HEADER]: failureReason(error) } });
      return;
    }
    const delay = policy.retryDelaysMs[retryDelayIndex(policy, message.attempts)] ?? 0;
    const handle = timers.setTimeout(() => {
      pending.delete(handle);
      ready.push({ ...message, attempts: message.attempts + 1 });
      dispatch();
    }, delay);
    pending.add(handle);
  };

  /** Removes and returns the dead letter with this id, if any. */
  const takeDead = (id: string): QueueMessage | undefined => {
    const index = dead.findIndex((m) => m.id === id);
    return index < 0 ? undefined : dead.splice(index, 1)[0];
  };

  return {
    durable: false,
    name: routingKey,
    async consume(handler) {
      assertOpen();
      const consumer: Consumer = { handler, inFlight: new Set(), stopped: false };
      consumers.push(consumer);
      dispatch();
      const stop = async (): Promise<void> => {
        if (consumer.stopped) return;
        consumer.stopped = true;
        consumers.splice(consumers.indexOf(consumer), 1);
        // Like a closed AMQP channel: unacked messages go back to the front, unchanged.
        ready.unshift(...consumer.inFlight);
        consumer.inFlight.clear();
        dispatch();
      };
      return { stop } satisfies QueueConsumer;
    },
    async enqueue(message: OutgoingMessage) {
      assertOpen();
      const headers = { ...message.headers };
      ready.push({ id: message.id, body: new Uint8Array(message.body), headers, attempts: 1, routingKey });
      dispatch();
    },
    deadLetters: {
      // After close every operation rejects, as on a RabbitMQ queue whose connection is gone.
      list: async (limit) => {
        assertOpen();
        return dead.slice(0, Math.max(0, limit)).map(copy);
      },
      get: async (id) => {
        assertOpen();
        const message = dead.find((m) => m.id === id);
        return message === undefined ? undefined : copy(message);
      },
      replay: async (id) => {
        assertOpen();
        const message = takeDead(id);
        if (message === undefined) return false;
        const { [DLQ_REASON_HEADER]: _reason, ...headers } = message.headers;
        ready.push({ ...message, headers, attempts: 1 });
        dispatch();
        return true;
      },
      drop: async (id) => {
        assertOpen();
        return takeDead(id) !== undefined;
      },
    },
    async sizes() {
      assertOpen();
      return { waiting: ready.length + pending.size, deadLetters: dead.length };
    },
    async close() {
      closed = true;
      for (const consumer of [...consumers]) consumer.stopped = true;
      consumers.length = 0;
      for (const handle of pending) timers.clearTimeout(handle);
      pending.clear();
    },
  };
}
