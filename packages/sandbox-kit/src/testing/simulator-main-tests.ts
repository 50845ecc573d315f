import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProcess } from "@paymesh/test-kit";
import { describe, expect, it, onTestFinished } from "vitest";

/** What {@link describeSimulatorMain} needs to know of one simulator's process. */
export interface SimulatorMainCase {
  /** The simulator's entry point: `new URL("./main.ts", import.meta.url)`. */
  main: URL;
  /** The service name in its ready line, e.g. "va-sandbox". */
  service: string;
  /**
   * A provider request that the simulator refuses without credentials but counts: its path, and
   * the counter `/sim/stats` keeps it under in `requests`.
   */
  countedRequest: { path: string; counter: string };
  /** More environment for the first process, whose effect `checkRunning` can see. */
  env?: Record<string, string>;
  /** More checks on the running first process, at its URL. */
  checkRunning?: (url: string) => Promise<void>;
}

/**
 * The tests every simulator's `sandbox/main.ts` passes, as a real process: it prints one JSON line
 * with its URL, serves its control API, and exits 0 on SIGTERM; and what it recorded in
 * SIM_DATA_DIR (its counters among it) is there again after a restart of the process.
 */
export function describeSimulatorMain(simulator: SimulatorMainCase): void {
  const run = (env: Record<string, string>) =>
    startProcess<{ service: string; url: string }>(simulator.main, { env: { PORT: "0", ...env } });

  describe("sandbox/main.ts", () => {
    it("prints one JSON line with its URL, serves, and exits 0 on SIGTERM", async () => {
      const running = await run(simulator.env ?? {});
      try {
        const { ready: announced } = running;
        expect(announced.service).toBe(simulator.service);
        expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        await simulator.checkRunning?.(announced.url);
        const stats = await fetch(`${announced.url}/sim/stats`);
        expect(await stats.json()).toMatchObject({ charges: 0 });
        expect(await running.stop()).toBe(0);
      } finally {
        running.kill();
      }
    });

    it("keeps what it recorded in SIM_DATA_DIR across a restart of the process", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "sim-main-"));
      onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
      const first = await run({ SIM_DATA_DIR: dataDir });
      try {
        // Refused (no credentials), but counted: the counters are part of what is kept.
        await fetch(`${first.ready.url}${simulator.countedRequest.path}`, { method: "POST", body: "{}" });
        expect(await first.stop()).toBe(0);
      } finally {
        first.kill();
      }
      const second = await run({ SIM_DATA_DIR: dataDir });
      try {
        const stats = await fetch(`${second.ready.url}/sim/stats`);
        expect(await stats.json()).toMatchObject({ requests: { [simulator.countedRequest.counter]: 1 } });
        expect(await second.stop()).toBe(0);
      } finally {
        second.kill();
      }
    });
  });
}
