import { describe, expect, it, onTestFinished } from "vitest";
import {
  type StartedProcess,
  StartProcessError,
  type StartProcessOptions,
  startProcess,
} from "./start-process.ts";

// Started children are stopped even when an assertion fails first, so a failing test leaks nothing.
async function started(options: StartProcessOptions): Promise<StartedProcess> {
  const child = await startProcess(options);
  onTestFinished(async () => {
    await child.stop(200);
  });
  return child;
}

// Each child is a real Node process running a one-line script, like the services do.
function script(source: string): string[] {
  return ["--input-type=module", "-e", source];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startFailure(promise: Promise<unknown>): Promise<StartProcessError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof StartProcessError))
    throw new Error(`expected StartProcessError, got ${String(error)}`);
  return error;
}

describe("startProcess", () => {
  it("resolves with the announced JSON and forwards the other lines, prefix-free, by stream", async () => {
    const lines: string[] = [];
    const child = await started({
      name: "svc",
      args: script(`
        console.log("booting");
        console.error("warming up");
        console.log(JSON.stringify({ level: "info", msg: "a log line, not the announcement" }));
        console.log(JSON.stringify({ service: "svc", address: "127.0.0.1:1234" }));
        console.log("after ready");
        setInterval(() => {}, 1000);`),
      isReady: (line) => line.service === "svc",
      onLine: (line, stream) => lines.push(`${stream}: ${line}`),
    });
    expect(child.ready).toEqual({ service: "svc", address: "127.0.0.1:1234" });
    // stdout and stderr are separate pipes, so only the order within each stream is guaranteed.
    await expect.poll(() => lines.length, { timeout: 5000 }).toBe(4);
    expect(lines.filter((line) => line.startsWith("stdout"))).toEqual([
      "stdout: booting",
      'stdout: {"level":"info","msg":"a log line, not the announcement"}',
      "stdout: after ready",
    ]);
    expect(lines).toContain("stderr: warming up");
    const exit = await child.stop();
    expect(exit).toEqual({ code: null, signal: "SIGTERM" });
  });

  it("fails with the child's last output when it exits before announcing", async () => {
    const error = await startFailure(
      startProcess({
        name: "svc",
        args: script(`console.error("EADDRINUSE 127.0.0.1:50051"); process.exit(3);`),
      }),
    );
    expect(error.message).toBe("svc exited (code 3) before reporting ready");
    expect(error.output).toEqual(["EADDRINUSE 127.0.0.1:50051"]);
  });

  it("gives up at the deadline and kills the silent child", async () => {
    let pid = 0;
    const error = await startFailure(
      startProcess({
        name: "svc",
        args: script(`console.log(String(process.pid)); setInterval(() => {}, 1000);`),
        readyTimeoutMs: 500,
        onLine: (line) => {
          pid = Number(line);
        },
      }),
    );
    expect(error.message).toBe("svc did not report ready within 500 ms");
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it("kills a child that ignores SIGTERM once the grace period is over", async () => {
    const child = await started({
      name: "stubborn",
      args: script(`process.on("SIGTERM", () => {}); console.log("{}"); setInterval(() => {}, 1000);`),
    });
    expect(await child.stop(200)).toEqual({ code: null, signal: "SIGKILL" });
  });

  it("stops the child when start-up is aborted", async () => {
    const controller = new AbortController();
    const starting = startProcess({
      name: "svc",
      args: script(`setInterval(() => {}, 1000);`),
      signal: controller.signal,
    });
    controller.abort();
    expect((await startFailure(starting)).message).toBe("svc start-up was interrupted");
  });

  it("reports a child that exits after being ready through `exited`", async () => {
    const child = await started({
      name: "svc",
      args: script(`console.log("{}"); process.exitCode = 4;`),
    });
    expect(await child.exited).toEqual({ code: 4, signal: null });
  });
});
