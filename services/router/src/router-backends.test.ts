import { redisClusterRuns, startTestRedisCluster } from "@paymesh/idempotency/testing/redis-cluster";
import { createLogger } from "@paymesh/telemetry";
import { describe, expect, it } from "vitest";
import { openRouterBackends } from "./router-backends.ts";
import { resolveRouterConfig } from "./router-config.ts";

const log = createLogger({ service: "router", level: "silent" });

describe("openRouterBackends", () => {
  it("refuses an unknown PAYMESH_QUEUE_TYPE before opening anything, even with no broker configured", async () => {
    const config = resolveRouterConfig({ callers: { shop: "shop-token-0123456789abcdef" } });
    await expect(
      openRouterBackends(config, log, {
        PAYMESH_QUEUE_TYPE: "stream",
        DATABASE_URL: "postgres://nowhere.invalid/x",
      }),
    ).rejects.toThrow('PAYMESH_QUEUE_TYPE must be one of classic, quorum, got "stream"');
  });

  const RECON = JSON.stringify({
    adapters: { va: { address: "127.0.0.1:50062", provider: "midtrans", settlementLagMs: 86_400_000 } },
  });

  it("hosts the reconciliation PAYMESH_RECON_CONFIG describes on the embedded database", async () => {
    const config = resolveRouterConfig({ callers: { shop: "shop-token-0123456789abcdef" } });
    const backends = await openRouterBackends(config, log, { PAYMESH_RECON_CONFIG: RECON });
    try {
      expect(backends.description.recon).toBe("in process");
      expect(backends.reconciliation?.settings.adapters.va).toMatchObject({
        address: "127.0.0.1:50062",
        terms: { timeZone: "Asia/Jakarta", settlementLagMs: 86_400_000 },
      });
      // The reconciler's client is the store's own: PGlite is one connection.
      expect(await backends.reconciliation?.sql.query("SELECT count(*)::int AS n FROM recon_runs")).toEqual([
        { n: 0 },
      ]);
    } finally {
      await backends.idempotency.close();
      await backends.store.close();
    }
  });

  it("refuses PAYMESH_RECON_CONFIG with DATABASE_URL, naming the variable, before opening anything", async () => {
    const config = resolveRouterConfig({ callers: { shop: "shop-token-0123456789abcdef" } });
    await expect(
      openRouterBackends(config, log, {
        PAYMESH_RECON_CONFIG: RECON,
        DATABASE_URL: "postgres://nowhere.invalid/x",
      }),
    ).rejects.toThrow(
      "router: PAYMESH_RECON_CONFIG is for the embedded database only: with DATABASE_URL, run the reconciler as its own process (services/reconciler)",
    );
  });

  it("says which setting of PAYMESH_RECON_CONFIG is wrong, as the router", async () => {
    const config = resolveRouterConfig({ callers: { shop: "shop-token-0123456789abcdef" } });
    await expect(
      openRouterBackends(config, log, { PAYMESH_RECON_CONFIG: JSON.stringify({ adapters: { va: {} } }) }),
    ).rejects.toThrow(/^router: PAYMESH_RECON_CONFIG adapters\.va\.address: /);
  });
});

describe.skipIf(!redisClusterRuns())("openRouterBackends on a Redis Cluster", () => {
  it("keeps idempotency records in the cluster REDIS_CLUSTER_NODES names", async () => {
    const cluster = await startTestRedisCluster();
    const config = resolveRouterConfig({ callers: { shop: "shop-token-0123456789abcdef" } });
    const open = () =>
      openRouterBackends(config, log, {
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
