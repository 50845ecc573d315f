import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAuthenticator } from "@paymesh/adapter-kit";
import { createMemoryWorkQueue, DLQ_REASON_HEADER, type QueueMessage, type WorkQueue } from "@paymesh/queue";
import { pollUntil } from "@paymesh/queue/contract";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { createDeadLetterAdmin } from "./admin-dead-letters.ts";

const TOKEN = "ops-token-0123456789abcdef";
const QRIS_ID = "qris:snap-abc123";
const BINARY_ID = "va:midtrans/7";
const QRIS_EVENT = { event: "payment.succeeded", paymentId: "pay_01jz8x3v6q4n7s2m5k9r1t0w3y" };

/** A real in-memory work queue whose consumer fails until `fixed`, and what it has handled. */
interface PoisonedQueue {
  queue: WorkQueue;
  handled: QueueMessage[];
  fix(): void;
}

const queues: WorkQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
});

function emptyQueue(): WorkQueue {
  const queue = createMemoryWorkQueue();
  queues.push(queue);
  return queue;
}

/** Two dead letters, oldest first: a QRIS webhook (JSON) and a VA one whose body is not JSON. */
async function poisonedQueue(): Promise<PoisonedQueue> {
  const queue = createMemoryWorkQueue({ name: "webhooks", retryDelaysMs: [1], maxAttempts: 2 });
  queues.push(queue);
  const handled: QueueMessage[] = [];
  let fixed = false;
  await queue.consume(async (message) => {
    if (!fixed) throw new Error("merchant 936000 is unknown");
    handled.push(message);
  });
  await queue.enqueue({
    id: QRIS_ID,
    body: new TextEncoder().encode(JSON.stringify(QRIS_EVENT)),
    headers: { provider: "qris" },
  });
  await pollUntil(
    () => queue.deadLetters.list(10),
    (dead) => dead.length === 1,
  );
  await queue.enqueue({ id: BINARY_ID, body: new Uint8Array([0xff, 0x00, 0x80]) });
  await pollUntil(
    () => queue.deadLetters.list(10),
    (dead) => dead.length === 2,
  );
  return { queue, handled, fix: () => (fixed = true) };
}

/** The admin API on a real HTTP server at 127.0.0.1:0, closed when the test finishes. */
async function startAdmin(queue: WorkQueue | undefined): Promise<string> {
  const admin = createDeadLetterAdmin({
    deadLetters: queue?.deadLetters,
    authenticate: createAuthenticator({ ops: TOKEN }),
  });
  const server = createServer((req, res) => void admin(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Reply {
  status: number;
  allow: string | null;
  body: unknown;
}

async function call(url: string, init: { method?: string; token?: string | null } = {}): Promise<Reply> {
  const token = init.token === undefined ? TOKEN : init.token;
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  expect(response.headers.get("content-type")).toBe("application/json");
  return { status: response.status, allow: response.headers.get("allow"), body: await response.json() };
}

const one = (base: string, id: string, suffix = ""): string =>
  `${base}/admin/dlq/${encodeURIComponent(id)}${suffix}`;

describe("dead-letter admin API", () => {
  it("lists dead letters oldest first, with the reason lifted out and the body parsed or base64", async () => {
    const { queue } = await poisonedQueue();
    const base = await startAdmin(queue);
    const listed = await call(`${base}/admin/dlq`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      deadLetters: [
        {
          id: QRIS_ID,
          attempts: 2,
          reason: "merchant 936000 is unknown",
          routingKey: "webhooks",
          headers: { provider: "qris" },
          body: QRIS_EVENT,
        },
        {
          id: BINARY_ID,
          attempts: 2,
          reason: "merchant 936000 is unknown",
          routingKey: "webhooks",
          headers: {},
          body: null,
          bodyBase64: "/wCA",
        },
      ],
    });
    const oldest = await call(`${base}/admin/dlq?limit=1`);
    expect(oldest.body).toEqual({ deadLetters: [expect.objectContaining({ id: QRIS_ID })] });
    expect((await call(`${base}/admin/dlq?limit=500`)).status).toBe(200);
  });

  it("shows one dead letter by its percent-encoded id, and 404s an absent one", async () => {
    const { queue } = await poisonedQueue();
    const base = await startAdmin(queue);
    const shown = await call(one(base, QRIS_ID));
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: QRIS_ID, body: QRIS_EVENT, reason: "merchant 936000 is unknown" });
    expect(shown.body).not.toHaveProperty(["headers", DLQ_REASON_HEADER]);
    // "/" inside an id arrives as %2F and is one segment; ":" may come unencoded.
    expect((await call(one(base, BINARY_ID))).body).toMatchObject({ id: BINARY_ID, bodyBase64: "/wCA" });
    expect((await call(`${base}/admin/dlq/${QRIS_ID}`)).body).toMatchObject({ id: QRIS_ID });
    expect(await call(one(base, "qris:snap-absent"))).toEqual({
      status: 404,
      allow: null,
      body: { error: 'no dead letter with id "qris:snap-absent"' },
    });
  });

  it("replays a dead letter: the consumer handles it again, with a fresh attempt count", async () => {
    const { queue, handled, fix } = await poisonedQueue();
    const base = await startAdmin(queue);
    fix();
    const replayed = await call(one(base, QRIS_ID, "/replay"), { method: "POST" });
    expect(replayed).toEqual({ status: 200, allow: null, body: { replayed: true, id: QRIS_ID } });
    const [again] = await pollUntil(
      async () => handled,
      (seen) => seen.length === 1,
    );
    expect(again).toMatchObject({ id: QRIS_ID, attempts: 1, headers: { provider: "qris" } });
    expect(JSON.parse(new TextDecoder().decode(again?.body))).toEqual(QRIS_EVENT);
    expect((await call(one(base, QRIS_ID))).status).toBe(404);
    expect((await call(`${base}/admin/dlq`)).body).toEqual({
      deadLetters: [expect.objectContaining({ id: BINARY_ID })],
    });
    expect((await call(one(base, QRIS_ID, "/replay"), { method: "POST" })).status).toBe(404);
  });

  it("drops a dead letter for good, and 404s dropping it twice", async () => {
    const { queue, handled, fix } = await poisonedQueue();
    const base = await startAdmin(queue);
    fix();
    const dropped = await call(one(base, BINARY_ID), { method: "DELETE" });
    expect(dropped).toEqual({ status: 200, allow: null, body: { dropped: true, id: BINARY_ID } });
    expect((await call(one(base, BINARY_ID), { method: "DELETE" })).status).toBe(404);
    expect((await call(one(base, BINARY_ID, "/replay"), { method: "POST" })).status).toBe(404);
    // A message enqueued after the drop is handled; the dropped one never comes back before it.
    await queue.enqueue({ id: "marker", body: new Uint8Array() });
    await pollUntil(
      async () => handled,
      (seen) => seen.length === 1,
    );
    expect(handled.map((m) => m.id)).toEqual(["marker"]);
    expect((await call(`${base}/admin/dlq`)).body).toEqual({
      deadLetters: [expect.objectContaining({ id: QRIS_ID })],
    });
  });

  it("answers 401 without a configured caller's token, and replays nothing", async () => {
    const { queue } = await poisonedQueue();
    const base = await startAdmin(queue);
    expect(await call(`${base}/admin/dlq`, { token: null })).toEqual({
      status: 401,
      allow: null,
      body: { error: "missing bearer token in the authorization metadata" },
    });
    const wrong = await call(one(base, QRIS_ID, "/replay"), { method: "POST", token: "not-a-caller" });
    expect(wrong).toEqual({ status: 401, allow: null, body: { error: "unknown bearer token" } });
    expect((await call(one(base, QRIS_ID), { method: "DELETE", token: null })).status).toBe(401);
    expect(await queue.deadLetters.list(10)).toHaveLength(2);
  });

  it.each(["0", "501", "ten", "1.5", "-1", ""])(
    "answers 400 naming the field for ?limit=%s",
    async (limit) => {
      const base = await startAdmin(emptyQueue());
      expect(await call(`${base}/admin/dlq?limit=${limit}`)).toEqual({
        status: 400,
        allow: null,
        body: { error: "limit must be an integer from 1 to 500", field: "limit" },
      });
    },
  );

  it("answers 400 for an id that is not valid percent-encoding", async () => {
    const base = await startAdmin(emptyQueue());
    for (const segment of ["%E0%A4%A", "qris%3", "%FF"]) {
      expect(await call(`${base}/admin/dlq/${segment}`)).toEqual({
        status: 400,
        allow: null,
        body: { error: "id is not valid percent-encoded UTF-8", field: "id" },
      });
    }
  });

  it.each([
    ["PUT", "/admin/dlq", "GET"],
    ["POST", "/admin/dlq", "GET"],
    ["POST", `/admin/dlq/${encodeURIComponent(QRIS_ID)}`, "GET, DELETE"],
    ["PATCH", `/admin/dlq/${encodeURIComponent(QRIS_ID)}`, "GET, DELETE"],
    ["GET", `/admin/dlq/${encodeURIComponent(QRIS_ID)}/replay`, "POST"],
    ["DELETE", `/admin/dlq/${encodeURIComponent(QRIS_ID)}/replay`, "POST"],
  ])("answers 405 to %s %s, allowing %s", async (method, path, allow) => {
    const { queue } = await poisonedQueue();
    const base = await startAdmin(queue);
    const reply = await call(`${base}${path}`, { method });
    expect(reply.status).toBe(405);
    expect(reply.allow).toBe(allow);
    expect(await queue.deadLetters.list(10)).toHaveLength(2);
  });

  it("answers 404 for a path it does not know", async () => {
    const base = await startAdmin(emptyQueue());
    expect(await call(`${base}/admin/dlq/qris:snap-abc123/retry`, { method: "POST" })).toEqual({
      status: 404,
      allow: null,
      body: { error: "no such route: /admin/dlq/qris:snap-abc123/retry" },
    });
  });

  it("answers 503 with the queue's reason when the queue cannot be reached, and keeps serving", async () => {
    const queue = createMemoryWorkQueue();
    const base = await startAdmin(queue);
    await queue.close(); // like a broker that is away: every dead-letter operation fails
    for (const [url, method] of [
      [`${base}/admin/dlq`, "GET"],
      [one(base, QRIS_ID), "GET"],
      [one(base, QRIS_ID, "/replay"), "POST"],
      [one(base, QRIS_ID), "DELETE"],
    ] as const) {
      expect(await call(url, { method })).toMatchObject({
        status: 503,
        body: { error: "work queue is closed" },
      });
    }
  });

  it("answers 404 on every route of a router without a work queue, after authenticating", async () => {
    const base = await startAdmin(undefined);
    const noQueue = { status: 404, allow: null, body: { error: "this router has no dead-letter queue" } };
    expect(await call(`${base}/admin/dlq`)).toEqual(noQueue);
    expect(await call(one(base, QRIS_ID))).toEqual(noQueue);
    expect(await call(one(base, QRIS_ID, "/replay"), { method: "POST" })).toEqual(noQueue);
    expect(await call(one(base, QRIS_ID), { method: "DELETE" })).toEqual(noQueue);
    expect((await call(`${base}/admin/dlq`, { token: null })).status).toBe(401);
  });
});
