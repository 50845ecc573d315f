import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createMemoryWorkQueue,
  type DeadLetters,
  DLQ_REASON_HEADER,
  type QueueMessage,
  type WorkQueue,
} from "@paymesh/queue";
import { pollUntil } from "@paymesh/queue/contract";
import { onTestFinished } from "vitest";
import type { DeadLetter } from "../dead-letters.ts";

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
 * A stand-in for the router's `/admin/dlq` API on 127.0.0.1:0 over a real in-memory work queue whose
 * consumer fails every attempt until `fix()`, so each message given is dead-lettered (in order) before
 * this resolves. `token` is the one operator's bearer token; `withQueue: false` gives a router without
 * a work queue. Everything is closed when the test finishes.
 *
 * Like stub-router.ts it speaks the wire contract the CLI reads (dead-letters.ts), so the CLI's tests
 * need no router code; the router's own handler is covered by the router's tests.
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
  const deadLetters = options.withQueue === false ? undefined : queue.deadLetters;
  const server = createServer((req, res) => {
    answer(req, options.token, deadLetters).then(
      (reply) => send(res, reply),
      (error: unknown) => send(res, { status: 503, body: { error: String(error) } }),
    );
  });
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

interface Reply {
  status: number;
  body: unknown;
}

/** The admin API's answers: the routes, statuses and error texts the router sends. */
async function answer(
  req: IncomingMessage,
  token: string,
  deadLetters: DeadLetters | undefined,
): Promise<Reply> {
  const failure = (status: number, error: string): Reply => ({ status, body: { error } });
  const presented = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (presented === undefined) return failure(401, "missing bearer token in the authorization metadata");
  if (presented !== token) return failure(401, "unknown bearer token");
  if (deadLetters === undefined) return failure(404, "this router has no dead-letter queue");
  const url = new URL(req.url ?? "/", "http://router");
  if (url.pathname === "/admin/dlq" && req.method === "GET") {
    const limit = Number(url.searchParams.get("limit") ?? "50");
    return { status: 200, body: { deadLetters: (await deadLetters.list(limit)).map(deadLetterJson) } };
  }
  const match = /^\/admin\/dlq\/([^/]+)(\/replay)?$/.exec(url.pathname);
  if (match?.[1] === undefined) return failure(404, `no such route: ${url.pathname}`);
  const id = decodeURIComponent(match[1]);
  const absent = failure(404, `no dead letter with id ${JSON.stringify(id)}`);
  if (match[2] !== undefined && req.method === "POST")
    return (await deadLetters.replay(id)) ? { status: 200, body: { replayed: true, id } } : absent;
  if (match[2] === undefined && req.method === "GET") {
    const message = await deadLetters.get(id);
    return message === undefined ? absent : { status: 200, body: deadLetterJson(message) };
  }
  if (match[2] === undefined && req.method === "DELETE")
    return (await deadLetters.drop(id)) ? { status: 200, body: { dropped: true, id } } : absent;
  return failure(405, "method not allowed");
}

/** A dead letter as the admin API shows it: the reason lifted out, the body parsed when it is JSON. */
function deadLetterJson(message: QueueMessage): DeadLetter {
  const { [DLQ_REASON_HEADER]: reason, ...headers } = message.headers;
  const json: DeadLetter = {
    id: message.id,
    attempts: message.attempts,
    reason: reason ?? null,
    routingKey: message.routingKey,
    headers,
    body: null,
  };
  try {
    json.body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(message.body));
  } catch {
    json.bodyBase64 = Buffer.from(message.body).toString("base64");
  }
  return json;
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { "content-type": "application/json" });
  res.end(JSON.stringify(reply.body));
}
