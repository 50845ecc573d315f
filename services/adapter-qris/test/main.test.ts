import { once } from "node:events";
import { createServer } from "node:http";
import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1 } from "@paymesh/proto";
import { tracingNodeArgs } from "@paymesh/telemetry";
import { promtoolProblems, sampleValue } from "@paymesh/telemetry/testing";
import { startProcess, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { adapterEnv } from "../sandbox/index.ts";

// The adapter process's HTTP face: /metrics, /healthz, and /readyz going 503 while SIGTERM drains.

describe("src/main.ts over HTTP", () => {
  it("announces its HTTP address, serves /metrics and the probes, and is not ready while draining", async () => {
    // A provider that takes requests and never answers: a call stays in flight while we stop.
    let received = 0;
    const silent = createServer(() => {
      received++;
    });
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const address = silent.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    const adapter = await startProcess<{ service: string; address: string; http: string }>(
      { entry: new URL("../src/main.ts", import.meta.url), nodeArgs: tracingNodeArgs() },
      { env: { ...adapterEnv(`http://127.0.0.1:${address.port}`), ADAPTER_PORT: "0" } },
    );
    const client = createGrpcClient(adapterv1.ProviderAdapter, adapter.ready.address);
    try {
      const { http } = adapter.ready;
      expect(http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${http}/healthz`)).status).toBe(200);
      expect((await fetch(`${http}/readyz`)).status).toBe(200);
      await client.describe({}, { deadline: new Date(Date.now() + 5_000) });
      const text = await (await fetch(`${http}/metrics`)).text();
      expect(
        sampleValue(text, "paymesh_rpc_duration_seconds_count", {
          method: "Describe",
          code: "OK",
          transport: "grpc",
        }),
      ).toBe(1);
      expect(promtoolProblems(text)).toBe("");

      const inFlight = client
        .createPayment(
          {
            paymentId: "pay_00000000000000000000000001",
            amount: { currency: "IDR", minorUnits: 2_500_000n },
            method: { case: "qris", value: {} },
          },
          { deadline: new Date(Date.now() + 3_000) },
        )
        .catch(() => undefined);
      await waitFor(() => (received > 0 ? true : undefined));
      const stopped = adapter.stop(10_000);
      const draining = await waitFor(async () => {
        const response = await fetch(`${http}/readyz`);
        return response.status === 503 ? await response.json() : undefined;
      });
      expect(draining).toEqual({ status: "not ready", down: ["draining"] });
      await inFlight;
      expect(await stopped).toBe(0);
    } finally {
      client.close();
      adapter.kill();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
