import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIdempotencyStoreContract } from "./contract/index.ts";
import { isIdempotencyUnavailableError } from "./idempotency-unavailable-error.ts";
import { createRedisIdempotencyStore } from "./redis-idempotency-store.ts";
import { redisKey } from "./redis-key.ts";
import { redisClusterRuns, startTestRedisCluster, type TestRedisCluster } from "./testing/redis-cluster.ts";
import { deleteKeysWithPrefix, redisUrlForTests, uniqueTestPrefix } from "./testing/redis-test-env.ts";

const url = redisUrlForTests();

/** The hash tag Redis Cluster would hash: between the first "{" and the next "}" (cluster spec). */
function hashTag(key: string): string {
  const open = key.indexOf("{");
  const close = key.indexOf("}", open + 1);
  return key.slice(open + 1, close);
}

describe("redisKey", () => {
  it("tags by caller and hashes the client's key", () => {
    const key = redisKey("p:", { caller: "router", key: "order-1" });
    expect(key).toMatch(/^p:\{router\}:[0-9a-f]{64}$/);
    expect(redisKey("p:", { caller: "router", key: "x".repeat(10_000) })).toHaveLength(key.length);
  });

  it("keeps braces in a caller name from breaking or sharing the tag", () => {
    const callers = ["a}b", "{a", "a{b}c", "%7Da", "}", "{}"];
    const tags = callers.map((caller) => hashTag(redisKey("p:", { caller, key: "k" })));
    expect(new Set(tags).size).toBe(callers.length);
    for (const tag of tags) expect(tag).not.toMatch(/[{}]/);
    expect(hashTag(redisKey("p:", { caller: "a}b", key: "k" }))).toBe("a%7Db");
  });

  it("refuses a key prefix with braces, which would become the hash tag", () => {
    expect(() => createRedisIdempotencyStore({ keyPrefix: "{p}:" })).toThrow(RangeError);
  });
});

if (url !== undefined) {
  const redisUrl = url;
  const keyPrefix = uniqueTestPrefix();
  afterAll(() => deleteKeysWithPrefix(redisUrl, keyPrefix));

  runIdempotencyStoreContract("redis", async ({ retentionMs }) =>
    createRedisIdempotencyStore({ url: redisUrl, keyPrefix, retentionMs }),
  );

  describe("createRedisIdempotencyStore against Redis", () => {
    const inspector = new Redis(redisUrl);
    afterAll(() => inspector.quit());

    it("stores a hash whose TTL is the lease, then the retention", async () => {
      const store = createRedisIdempotencyStore({ url: redisUrl, keyPrefix, retentionMs: 60_000 });
      const scope = { caller: "router", key: `layout-${keyPrefix}` };
      const key = redisKey(keyPrefix, scope);
      const claim = await store.claim(scope, "fp", 5_000);
      if (claim.kind !== "claimed") throw new Error(`expected claimed, got ${claim.kind}`);
      expect(await inspector.hgetall(key)).toEqual({
        state: "running",
        fingerprint: "fp",
        token: claim.token,
      });
      expect(await inspector.pttl(key)).toBeGreaterThan(4_000);
      expect(await inspector.pttl(key)).toBeLessThanOrEqual(5_000);
      expect(await store.complete(scope, claim.token, new Uint8Array([0xff, 0x00]))).toBe(true);
      expect(await inspector.hgetallBuffer(key)).toEqual({
        state: Buffer.from("done"),
        fingerprint: Buffer.from("fp"),
        response: Buffer.from([0xff, 0x00]),
      });
      expect(await inspector.pttl(key)).toBeGreaterThan(50_000);
      await store.close();
    });

    it("fails closed, not open, when Redis answers with an error", async () => {
      const store = createRedisIdempotencyStore({ url: redisUrl, keyPrefix });
      const scope = { caller: "router", key: `wrongtype-${keyPrefix}` };
      await inspector.set(redisKey(keyPrefix, scope), "not a hash", "PX", 60_000);
      const error = await store.claim(scope, "fp", 1_000).catch((e: unknown) => e);
      expect(isIdempotencyUnavailableError(error)).toBe(true);
      expect(String(error)).toMatch(/WRONGTYPE/);
      await store.close();
    });

    it("leaves a borrowed client open on close", async () => {
      const borrowed = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      const store = createRedisIdempotencyStore({ redis: borrowed, keyPrefix });
      expect((await store.claim({ caller: "router", key: `borrowed-${keyPrefix}` }, "fp", 1_000)).kind).toBe(
        "claimed",
      );
      await store.close();
      expect(await borrowed.ping()).toBe("PONG");
      await borrowed.quit();
    });
  });
}

// The same contract on a Redis Cluster of three real primaries: every script touches one key, and
// one caller's keys share a hash slot.
describe.skipIf(!redisClusterRuns())("on a Redis Cluster", () => {
  let cluster: TestRedisCluster;
  beforeAll(async () => {
    cluster = await startTestRedisCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  runIdempotencyStoreContract("redis cluster", async ({ retentionMs }) =>
    createRedisIdempotencyStore({ clusterNodes: cluster.nodes, keyPrefix: "paymesh:idem:", retentionMs }),
  );

  it("spreads callers over the shards, each caller's keys on one", async () => {
    const store = createRedisIdempotencyStore({ clusterNodes: cluster.nodes, keyPrefix: "paymesh:idem:" });
    const inspector = new Cluster(
      cluster.nodes.map((node) => ({ host: "127.0.0.1", port: Number(node.split(":")[1]) })),
    );
    try {
      const callers = Array.from({ length: 12 }, (_, n) => `service-${n}`);
      for (const caller of callers)
        for (const key of ["a", "b"])
          expect((await store.claim({ caller, key }, "fp", 5_000)).kind).toBe("claimed");
      const slotOf = async (caller: string, key: string) =>
        Number(await inspector.call("CLUSTER", "KEYSLOT", redisKey("paymesh:idem:", { caller, key })));
      const shards = new Set<string>();
      for (const caller of callers) {
        expect(await slotOf(caller, "a")).toBe(await slotOf(caller, "b"));
        // The shard holding the caller's slot has its keys; no other shard has any there.
        const slot = await slotOf(caller, "a");
        for (const node of inspector.nodes("master"))
          if (Number(await node.call("CLUSTER", "COUNTKEYSINSLOT", slot)) > 0)
            shards.add(`${node.options.port}`);
      }
      expect(shards.size).toBeGreaterThan(1);
    } finally {
      await store.close();
      await inspector.quit();
    }
  });

  it("refuses a seed node that is not host:port", () => {
    expect(() => createRedisIdempotencyStore({ clusterNodes: ["127.0.0.1"] })).toThrow(
      'a Redis Cluster node must be "host:port", got "127.0.0.1"',
    );
  });
});
