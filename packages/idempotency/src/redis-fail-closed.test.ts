import { randomUUID } from "node:crypto";
import { startTcpProxy, unusedPort } from "@paymesh/test-kit";
import { afterAll, describe, expect, it } from "vitest";
import { pollUntil } from "./contract/index.ts";
import type { IdempotencyStore } from "./idempotency-store.ts";
import { isIdempotencyUnavailableError } from "./idempotency-unavailable-error.ts";
import { createRedisIdempotencyStore } from "./redis-idempotency-store.ts";
import { deleteKeysWithPrefix, redisUrlForTests, uniqueTestPrefix } from "./testing/redis-test-env.ts";

const url = redisUrlForTests();
// The router needs an answer (or UNAVAILABLE) quickly; the defaults promise about a second.
const FAIL_WITHIN_MS = 2_000;

/** Runs `call`, asserts it rejected as unavailable within the bound, and returns the error. */
async function expectFailsClosed(call: () => Promise<unknown>): Promise<unknown> {
  const started = performance.now();
  const outcome = await call().then(
    (value) => ({ settled: "resolved", value }),
    (error: unknown) => ({ settled: "rejected", value: error }),
  );
  const elapsed = performance.now() - started;
  expect(outcome.settled).toBe("rejected");
  expect(isIdempotencyUnavailableError(outcome.value)).toBe(true);
  expect(elapsed).toBeLessThan(FAIL_WITHIN_MS);
  return outcome.value;
}

const scope = () => ({ caller: "router", key: randomUUID() });

describe("Redis store with nobody listening", () => {
  it("rejects claim, complete and release with IdempotencyUnavailableError, quickly", async () => {
    const store = createRedisIdempotencyStore({ url: `redis://127.0.0.1:${await unusedPort()}` });
    const error = await expectFailsClosed(() => store.claim(scope(), "fp", 1_000));
    // The cause says why, for the log line next to the UNAVAILABLE.
    expect(error).toHaveProperty("cause.code", "ECONNREFUSED");
    await expectFailsClosed(() => store.complete(scope(), "token", new Uint8Array([1])));
    await expectFailsClosed(() => store.release(scope(), "token"));
    await expectFailsClosed(() => store.ping());
    await store.close();
    await expectFailsClosed(() => store.claim(scope(), "fp", 1_000));
  });
});

if (url !== undefined) {
  const target = new URL(url);
  const keyPrefix = uniqueTestPrefix();
  afterAll(() => deleteKeysWithPrefix(url, keyPrefix));

  describe("Redis store through a proxy that fails", () => {
    const opened: { store: IdempotencyStore; close(): Promise<void> }[] = [];
    afterAll(async () => {
      for (const { store, close } of opened) await Promise.all([store.close(), close()]);
    });
    async function storeBehindProxy() {
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const store = createRedisIdempotencyStore({ url: `redis://127.0.0.1:${proxy.port}`, keyPrefix });
      opened.push({ store, close: () => proxy.close() });
      return { proxy, store };
    }
    const works = async (store: IdempotencyStore) =>
      expect((await store.claim(scope(), "fp", 60_000)).kind).toBe("claimed");

    it("fails closed while the link is cut and recovers by itself when it is back", async () => {
      const { proxy, store } = await storeBehindProxy();
      await works(store);
      const held = scope();
      const claim = await store.claim(held, "fp", 60_000);
      if (claim.kind !== "claimed") throw new Error(`expected claimed, got ${claim.kind}`);

      proxy.cut();
      await expectFailsClosed(() => store.claim(scope(), "fp", 60_000));
      await expectFailsClosed(() => store.complete(held, claim.token, new Uint8Array([1])));
      await expectFailsClosed(() => store.release(held, claim.token));
      await expectFailsClosed(() => store.ping());

      proxy.restore();
      // Same store object: the client reconnects in the background.
      await pollUntil(
        () =>
          store.claim(scope(), "fp", 60_000).then(
            (r) => r.kind,
            () => "unavailable",
          ),
        (kind) => kind === "claimed",
      );
      expect(await store.complete(held, claim.token, new Uint8Array([1]))).toBe(true);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("fails closed on a link that hangs, then recovers when it flows again", async () => {
      const { proxy, store } = await storeBehindProxy();
      await works(store);
      proxy.stall();
      // No error reaches the client, so only the command timeout stands between us and a hang.
      const error = await expectFailsClosed(() => store.claim(scope(), "fp", 60_000));
      expect(String(error)).toMatch(/timed out|no reply/i);
      await expectFailsClosed(() => store.release(scope(), "token"));

      proxy.restore();
      await pollUntil(
        () =>
          store.claim(scope(), "fp", 60_000).then(
            (r) => r.kind,
            () => "unavailable",
          ),
        (kind) => kind === "claimed",
      );
    });
  });
}
