import { describe, expect, it } from "vitest";
import { runProcess, startProcess } from "./process.ts";

const fixture = new URL("./process.fixture.ts", import.meta.url);

describe("startProcess", () => {
  it("resolves with the announced line, passes env, captures stderr, and stops with the exit code", async () => {
    const service = await startProcess<{ service: string; url: string }>(fixture, {
      env: { PORT: "0", FIXTURE_EXTRA: "yes" },
    });
    try {
      expect(service.ready).toEqual({
        service: "fixture-sandbox",
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      const stats = await fetch(`${service.ready.url}/sim/stats`);
      expect(await stats.json()).toEqual({ charges: 0, port: "0", extra: "yes" });
      expect(service.stderr()).toContain("fixture announce started");
      expect(await service.stop()).toBe(0);
      expect(service.child.exitCode).toBe(0);
    } finally {
      service.kill();
    }
  });

  it("kill() ends it at once: stop() then reports no exit code", async () => {
    const service = await startProcess(fixture);
    service.kill();
    expect(await service.stop()).toBeNull();
    expect(service.child.signalCode).toBe("SIGKILL");
  });

  it("stop() kills a process that ignores SIGTERM once the grace period is over", async () => {
    const service = await startProcess(fixture, { env: { FIXTURE_MODE: "stubborn" } });
    expect(await service.stop(200)).toBeNull();
    expect(service.child.signalCode).toBe("SIGKILL");
  });

  it("rejects when the process exits before announcing itself", async () => {
    await expect(startProcess(fixture, { env: { FIXTURE_MODE: "silent" } })).rejects.toThrow(
      /exited \(3\) before announcing itself/,
    );
  });

  it("rejects when the first line is not JSON, or not what parse accepts", async () => {
    await expect(startProcess(fixture, { env: { FIXTURE_MODE: "garbage" } })).rejects.toThrow(/not JSON/);
    const parse = (): never => {
      throw new Error("no address in the announcement");
    };
    await expect(startProcess(fixture, { parse })).rejects.toThrow(/no address in the announcement/);
  });

  it("rejects, and kills the process, when nothing is announced within the deadline", async () => {
    await expect(
      startProcess(fixture, { env: { FIXTURE_MODE: "hang" }, readyWithinMs: 300 }),
    ).rejects.toThrow(/did not announce itself within 300 ms/);
  });
});

describe("runProcess", () => {
  it("runs a command to its end with stdin, env and cwd, whatever its exit code", async () => {
    const script =
      "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{console.log(s.toUpperCase()+process.env.EXTRA+process.cwd());console.error('bye');process.exit(4)})";
    const run = await runProcess(
      { command: process.execPath, args: ["-e", script] },
      { input: "hello ", env: { EXTRA: "!" }, cwd: "/" },
    );
    expect(run).toEqual({ code: 4, stdout: "HELLO !/\n", stderr: "bye\n" });
  });

  it("removes a variable given as undefined, and kills a run that outlives its timeout", async () => {
    process.env.TEST_KIT_DROPPED = "set";
    try {
      const printed = await runProcess(
        { command: process.execPath, args: ["-p", "process.env.TEST_KIT_DROPPED ?? 'gone'"] },
        { env: { TEST_KIT_DROPPED: undefined } },
      );
      expect(printed.stdout).toBe("gone\n");
    } finally {
      delete process.env.TEST_KIT_DROPPED;
    }
    const hung = await runProcess(
      { command: process.execPath, args: ["-e", "setInterval(() => {}, 1000)"] },
      {
        timeoutMs: 200,
      },
    );
    expect(hung.code).toBeNull();
  });

  it("rejects when the command cannot be started", async () => {
    await expect(runProcess({ command: "paymesh-test-kit-no-such-command" })).rejects.toThrow(/ENOENT/);
  });
});
