import { startProcess } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";

describe("sandbox/main.ts", () => {
  it("prints one JSON line with its URL, serves, and exits 0 on SIGTERM", async () => {
    const simulator = await startProcess<{ service: string; url: string }>(
      new URL("./main.ts", import.meta.url),
      {
        env: { PORT: "0", AUTO_COMPLETE_MS: "50" },
      },
    );
    try {
      const { ready: announced } = simulator;
      expect(announced.service).toBe("transfer-sandbox");
      expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const config = await fetch(`${announced.url}/sim/config`, { method: "POST", body: "{}" });
      expect(await config.json()).toMatchObject({ autoCompleteMs: 50, idempotencyMode: "reject" });
      const stats = await fetch(`${announced.url}/sim/stats`);
      expect(await stats.json()).toMatchObject({ charges: 0 });
      expect(await simulator.stop()).toBe(0);
    } finally {
      simulator.kill();
    }
  });
});
