import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProcess } from "@paymesh/test-kit";
import { describe, expect, it, onTestFinished } from "vitest";

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
      expect(announced.service).toBe("va-sandbox");
      expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const stats = await fetch(`${announced.url}/sim/stats`);
      expect(await stats.json()).toMatchObject({ charges: 0 });
      expect(await simulator.stop()).toBe(0);
    } finally {
      simulator.kill();
    }
  });

  it("keeps what it recorded in SIM_DATA_DIR across a restart of the process", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sim-main-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const run = () =>
      startProcess<{ url: string }>(new URL("./main.ts", import.meta.url), {
        env: { PORT: "0", SIM_DATA_DIR: dataDir },
      });
    const first = await run();
    try {
      // Refused (no credentials), but counted: the counters are part of what is kept.
      await fetch(`${first.ready.url}/v2/charge`, { method: "POST", body: "{}" });
      expect(await first.stop()).toBe(0);
    } finally {
      first.kill();
    }
    const second = await run();
    try {
      const stats = await fetch(`${second.ready.url}/sim/stats`);
      expect(await stats.json()).toMatchObject({ requests: { charge: 1 } });
      expect(await second.stop()).toBe(0);
    } finally {
      second.kill();
    }
  });
});
