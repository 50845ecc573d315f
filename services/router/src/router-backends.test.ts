import { redisClusterRuns, startTestRedisCluster } from "@paymesh/idempotency/testing/redis-cluster";
import { describe, expect, it } from "vitest";
import { openRouterBackends } from "./router-backends.ts";
import { resolveRouterConfig } from "./router-config.ts";

describe("openRouterBackends", () => {
  it("refuses an unknown PAYMESH_QUEUE_TYPE before opening anything, even with no broker configured", async () => {
    const config = resolveRouterConfig({ callers: { shop: "shop-token-0123456789abcdef" } });
    await expect(
      openRouterBackends(config, {
        PAYMESH_QUEUE_TYPE: "stream",
        DATABASE_URL: "postgres://nowhere.invalid/x",
      }),
    ).rejects.toThrow('PAYMESH_QUEUE_TYPE must be one of classic, quorum, got "stream"');
  });
});

describe.skipIf(!redisClusterRuns())("openRouterBackends on a Redis Cluster", () => {
  it("keeps idempotency records in the cluster REDIS_CLUSTER_NODES names", async () => {
    const cluster = await startTestRedisCluster();
    const config = resolveRouterConfig({ callers: { shop: "shop-token-0123456789abcdef" } });
    const open = () =>
      openRouterBackends(config, {
        REDIS_CLUSTER_NODES: cluster.nodes.join(","),
        REDIS_URL: "redis://nowhere.invalid:1",
      });
    const [first, second] = [await open(), await open()];
    try {
      expect(first.description.idempotency).toBe("redis cluster");
      const scope = { caller: "shop", key: "order-77" };
      expect((await first.idempotency.claim(scope, "fp", 5_000)).kind).toBe("claimed");
      // A second router on the same cluster sees the claim: the record is in the cluster, not in process.
      expect((await second.idempotency.claim(scope, "fp", 5_000)).kind).toBe("in_progress");
    } finally {
      for (const backends of [first, second]) {
        await backends.idempotency.close();
        await backends.store.close();
      }
      await cluster.stop();
    }
  }, 60_000);
});
