import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createMemoryWorkQueue, type QueueMessage, type WorkQueue } from "@paymesh/queue";
import { pollUntil } from "@paymesh/queue/contract";
import { createAuthenticator, createDeadLetterAdmin } from "@paymesh/router";
import { onTestFinished } from "vitest";

/** A message to dead-letter: what a webhook producer would enqueue. */
export interface PoisonMessage {
  id: string;
  body: Uint8Array;
  headers?: Record<string, string>;
}

/** A running admin API over a real queue, and what the queue's consumer has handled so far. */
export interface DeadLetterRouter {
  /** For `--router-http`. */
  url: string;
  queue: WorkQueue;
  /** Messages the consumer handled successfully, after {@link DeadLetterRouter.fix}. */
  handled: QueueMessage[];
  /** From now on the consumer succeeds, as after an operator fixed the cause. */
  fix(): void;
}

/**
 * The router's real `/admin/dlq` API on 127.0.0.1:0 over a real in-memory work queue whose consumer
 * fails every attempt until `fix()`, so each message given is dead-lettered (in order) before this
 * resolves. `token` is the one caller's bearer token; `withQueue: false` gives a router without a
 * work queue. Everything is closed when the test finishes.
 */
export async function startDeadLetterRouter(options: {
  token: string;
  messages?: readonly PoisonMessage[];
  withQueue?: boolean;
}): Promise<DeadLetterRouter> {
  const queue = createMemoryWorkQueue({ name: "webhooks", retryDelaysMs: [1], maxAttempts: 2 });
  const handled: QueueMessage[] = [];
  let fixed = false;
  await queue.consume(async (message) => {
    if (!fixed) throw new Error("merchant 936000 is unknown");
    handled.push(message);
  });
  for (const [index, message] of (options.messages ?? []).entries()) {
    await queue.enqueue(message);
    // One at a time, so the dead-letter queue's order is the order given.
    await pollUntil(
      () => queue.deadLetters.list(index + 1),
      (dead) => dead.length === index + 1,
    );
  }
  const admin = createDeadLetterAdmin({
    deadLetters: options.withQueue === false ? undefined : queue.deadLetters,
    authenticate: createAuthenticator({ ops: options.token }),
  });
  const server = createServer((req, res) => void admin(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await queue.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, queue, handled, fix: () => (fixed = true) };
}
