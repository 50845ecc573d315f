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
