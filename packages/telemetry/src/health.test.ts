import { afterEach, describe, expect, it } from "vitest";
import { checkReadiness } from "./health.ts";
import { type RunningHealthServer, startHealthServer } from "./health-server.ts";
import { createMetrics } from "./metrics.ts";
import { sampleValue } from "./metrics-testing.ts";

describe("health server", () => {
  let server: RunningHealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("answers /healthz, /readyz (503 naming what is down) and /metrics", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.counter("paymesh_test_total", "A test counter.", []).inc(3);
    let storeUp = true;
    server = await startHealthServer({
      metrics,
      readiness: () =>
        checkReadiness(
          [
            { name: "store", check: async () => (storeUp ? "ok" : Promise.reject(new Error("down"))) },
            { name: "queue", check: () => Promise.resolve() },
          ],
          100,
        ),
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    storeUp = false;
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: "not ready", down: ["store"] });
    expect(sampleValue(await (await fetch(`${server.url}/metrics`)).text(), "paymesh_test_total")).toBe(3);
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
  });

  it("counts a check that never answers as down", async () => {
    const readiness = await checkReadiness([{ name: "idempotency", check: () => new Promise(() => {}) }], 30);
    expect(readiness).toEqual({ ready: false, down: ["idempotency"] });
  });
});
