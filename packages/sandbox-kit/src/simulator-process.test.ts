import { describe, expect, it } from "vitest";
import { startSimulatorProcess } from "./simulator-process.ts";

const fixture = new URL("./simulator-process.fixture.ts", import.meta.url);

describe("startSimulatorProcess", () => {
  it("resolves with the announced line, passes PORT=0 and env, and stops with the exit code", async () => {
    const simulator = await startSimulatorProcess(fixture, { FIXTURE_EXTRA: "yes" });
    try {
      expect(simulator.announced).toEqual({
        service: "fixture-sandbox",
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      const stats = await fetch(`${simulator.announced.url}/sim/stats`);
      expect(await stats.json()).toEqual({ charges: 0, port: "0", extra: "yes" });
      expect(await simulator.stop()).toBe(0);
    } finally {
      simulator.kill();
    }
  });

  it("kill() ends it at once: stop() then reports no exit code", async () => {
    const simulator = await startSimulatorProcess(fixture);
    simulator.kill();
    expect(await simulator.stop()).toBeNull();
  });

  it("rejects when the process exits before announcing itself", async () => {
    await expect(startSimulatorProcess(fixture, { FIXTURE_MODE: "silent" })).rejects.toThrow(
      /exited \(3\) before announcing itself/,
    );
  });

  it("rejects when the first line is not JSON", async () => {
    await expect(startSimulatorProcess(fixture, { FIXTURE_MODE: "garbage" })).rejects.toThrow(/not JSON/);
  });

  it("rejects, and kills the process, when nothing is announced within the deadline", async () => {
    await expect(
      startSimulatorProcess(fixture, { FIXTURE_MODE: "hang" }, { readyWithinMs: 300 }),
    ).rejects.toThrow(/did not announce itself within 300 ms/);
  });
});
