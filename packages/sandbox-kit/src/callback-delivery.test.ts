import type { IncomingHttpHeaders } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  type CallbackAttempt,
  type CallbackDeliveryOptions,
  createCallbackDelivery,
  isSuccessStatus,
  type OutgoingCallback,
} from "./callback-delivery.ts";
import { readBody } from "./http-io.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe("createCallbackDelivery", () => {
  let receiver: TestServer | undefined;
  const closing = new AbortController();
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  /** A receiver answering the statuses in turn (the last one from then on), keeping what it got. */
  async function receive(statuses: number[]): Promise<{ url: string; received: Received[] }> {
    const received: Received[] = [];
    receiver = await startTestServer(async (request, response) => {
      received.push({ headers: request.headers, body: (await readBody(request)).toString("utf8") });
      response.writeHead(statuses[Math.min(received.length, statuses.length) - 1] ?? 200).end("ok");
    });
    return { url: `${receiver.url}/webhooks/test`, received };
  }

  /**
   * A callback whose message is numbered per attempt; `attempts` resolves once `count` attempts
   * ended, and `waits` lists the backoff asked for (answered at once, so no test waits it out).
   */
  function harness(count: number, overrides: Partial<CallbackDeliveryOptions> = {}) {
    const attempts: CallbackAttempt[] = [];
    const waits: number[] = [];
    let messages = 0;
    let done: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      done = resolve;
    });
    const callback: OutgoingCallback = {
      message: () => {
        messages += 1;
        return {
          headers: { "content-type": "application/json", "x-attempt": String(messages) },
          body: '{"n":1}',
        };
      },
      onAttempt: (attempt) => {
        attempts.push(attempt);
        if (attempts.length === count) done();
      },
    };
    const delivery = createCallbackDelivery({
      signal: closing.signal,
      clock: () => new Date("2026-01-02T03:04:05.000Z"),
      timeoutMs: 5_000,
      retryDelaysMs: [10, 20, 30],
      wait: async (ms) => {
        waits.push(ms);
      },
      ...overrides,
    });
    return { delivery, callback, attempts, waits, ended };
  }

  /** Lets every pending callback of the event loop run: a retry the delivery should not make would show. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("POSTs the callback's bytes and records the attempt", async () => {
    const { url, received } = await receive([200]);
    const { delivery, callback, attempts, waits } = harness(1);
    expect(await delivery.send(url, callback)).toStrictEqual({ status: 200 });
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toBe('{"n":1}');
    expect(received[0]?.headers).toMatchObject({ "content-type": "application/json", "x-attempt": "1" });
    expect(attempts).toStrictEqual([{ url, attempt: 1, at: "2026-01-02T03:04:05.000Z", status: 200 }]);
    await settle();
    expect(waits).toEqual([]);
  });

  it("retries a non-2xx answer with the configured backoff until one gets a 2xx, asking for a message each time", async () => {
    const { url, received } = await receive([503, 500, 204]);
    const { delivery, callback, attempts, waits, ended } = harness(3);
    expect(await delivery.send(url, callback)).toStrictEqual({ status: 503 });
    await ended;
    await settle();
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 500],
      [3, 204],
    ]);
    expect(waits).toEqual([10, 20]);
    expect(received.map((r) => r.headers["x-attempt"])).toEqual(["1", "2", "3"]);
  });

  it("gives up after the last retry", async () => {
    const { url } = await receive([500]);
    const { delivery, callback, attempts, waits, ended } = harness(4);
    await delivery.send(url, callback);
    await ended;
    await settle();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(waits).toEqual([10, 20, 30]);
  });

  it("records a receiver that cannot be reached as status null with the error, and retries it", async () => {
    const { url } = await receive([200]);
    await receiver?.close();
    receiver = undefined;
    const { delivery, callback, attempts, ended } = harness(2, { retryDelaysMs: [0] });
    const first = await delivery.send(url, callback);
    expect(first).toStrictEqual({ status: null, error: "fetch failed" });
    await ended;
    expect(attempts).toStrictEqual([
      { url, attempt: 1, at: "2026-01-02T03:04:05.000Z", error: "fetch failed" },
      { url, attempt: 2, at: "2026-01-02T03:04:05.000Z", error: "fetch failed" },
    ]);
  });

  it("gives up on a receiver that does not answer within timeoutMs", async () => {
    receiver = await startTestServer(() => undefined);
    const { delivery, callback } = harness(1, { timeoutMs: 50, retryDelaysMs: [] });
    const first = await delivery.send(receiver.url, callback);
    expect(first.status).toBeNull();
    expect(first.error).toMatch(/timeout/i);
  });

  it("makes no retry once the simulator is closing", async () => {
    const { url } = await receive([500]);
    const closed = new AbortController();
    closed.abort();
    const { delivery, callback, attempts, waits } = harness(1, { signal: closed.signal });
    expect((await delivery.send(url, callback)).status).toBeNull();
    await settle();
    expect(attempts).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("saves the simulator's state before each attempt, and makes no POST when it cannot", async () => {
    const { url, received } = await receive([500, 200]);
    const saved: number[] = [];
    const { delivery, callback, attempts, ended } = harness(2, {
      saveState: () => void saved.push(received.length),
    });
    await delivery.send(url, callback);
    await ended;
    expect(saved).toEqual([0, 1]);
    expect(received).toHaveLength(2);

    const failing = harness(1, {
      saveState: () => {
        throw new Error("disk full");
      },
      retryDelaysMs: [],
    });
    expect(await failing.delivery.send(url, failing.callback)).toEqual({ status: null, error: "disk full" });
    expect(received).toHaveLength(2);
    expect(attempts.map((a) => a.status)).toEqual([500, 200]);
  });

  it("attempt() makes exactly one attempt with the given number", async () => {
    const { url } = await receive([500]);
    const { delivery, callback, attempts, waits } = harness(1);
    expect(await delivery.attempt(url, callback, 1)).toStrictEqual({ status: 500 });
    await settle();
    expect(attempts.map((a) => a.attempt)).toEqual([1]);
    expect(waits).toEqual([]);
  });
});

describe("isSuccessStatus", () => {
  it("is true for 2xx only", () => {
    expect([199, 200, 204, 299, 300, 500].map(isSuccessStatus)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(isSuccessStatus(null)).toBe(false);
    expect(isSuccessStatus(undefined)).toBe(false);
  });
});
