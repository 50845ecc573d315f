import { startProcess } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";

describe("sandbox/main.ts", () => {
  it("prints one JSON line with its URL, serves, and exits 0 on SIGTERM", async () => {
    const simulator = await startProcess<{ service: string; url: string }>(
      new URL("./main.ts", import.meta.url),
      {
        env: { PORT: "0" },
      },
    );
    try {
      const { ready: announced } = simulator;
      expect(announced.service).toBe("qris-sandbox");
      expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const stats = await fetch(`${announced.url}/sim/stats`);
      expect(await stats.json()).toMatchObject({ charges: 0 });
      expect(await simulator.stop()).toBe(0);
    } finally {
      simulator.kill();
    }
  });
});
