import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1 } from "@paymesh/proto";
import { tracingNodeArgs } from "@paymesh/telemetry";
import { startProcess } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { adapterEnv } from "../sandbox/index.ts";

describe("src/main.ts", () => {
  it("prints one JSON line with its address, serves Describe, and exits 0 on SIGTERM", async () => {
    const adapter = await startProcess<{ service: string; address: string }>(
      // As every launcher starts it: tracing registered first (a no-op without OTEL_* variables).
      { entry: new URL("../src/main.ts", import.meta.url), nodeArgs: tracingNodeArgs() },
      {
        env: { ...adapterEnv("http://127.0.0.1:9"), ADAPTER_PORT: "0" },
      },
    );
    try {
      const announced = adapter.ready;
      expect(announced.service).toBe("adapter-remittance");
      expect(announced.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const client = createGrpcClient(adapterv1.ProviderAdapter, announced.address);
      try {
        const description = await client.describe({}, { deadline: new Date(Date.now() + 5_000) });
        expect(description).toMatchObject({ provider: "wise", currencies: ["IDR", "SGD", "USD"] });
      } finally {
        client.close();
      }
      expect(await adapter.stop()).toBe(0);
    } finally {
      adapter.kill();
    }
  });
});
