import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { MAIN } from "../testing/spawn-cli.ts";

// The whole stack (nine services) starts here, on free ports with a throwaway PGlite directory, the
// way a newcomer runs it; on a busy machine the router alone can take half a minute.
describe("paymesh up", () => {
  it("prints the stack as one JSON document, and a Ctrl-C stops it with exit 0 and no failure", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paymesh-up-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    // Its own process group, like a shell job: the Ctrl-C goes to the whole group, services included.
    const child = spawn(process.execPath, [MAIN, "up", "--grpc-port", "0", "--http-port", "0", "--json"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PAYMESH_DATA_DIR: dataDir,
        DATABASE_URL: "",
        REDIS_URL: "",
        AMQP_URL: "",
      },
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid ?? 0), "SIGKILL");
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("close", (code, signal) => resolve({ code, signal }));
    });
    const up = await Promise.race([
      exited.then(() => undefined),
      new Promise<unknown>((resolve) => {
        const poll = setInterval(() => {
          try {
            const summary: unknown = JSON.parse(stdout);
            clearInterval(poll);
            resolve(summary);
          } catch {
            // not the whole document yet
          }
        }, 100);
        void exited.then(() => clearInterval(poll));
      }),
    ]);
    expect(up, stderr).toMatchObject({
      router: { grpc: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
      token: "paymesh-local-dev-token-cli-0001",
      backends: { database: `PGlite (${dataDir})`, idempotency: "in memory", queue: "in process" },
    });
    process.kill(-(child.pid ?? 0), "SIGINT");
    expect(await exited).toEqual({ code: 0, signal: null });
    const ours = stderr.split("\n").filter((line) => line.startsWith("paymesh:"));
    expect(ours).toEqual(["paymesh: stopping the stack"]);
    expect(stderr).not.toMatch(/exited \(|ELIFECYCLE|Command failed/);
    expect(JSON.parse(stdout)).toEqual(up);
  }, 180_000);
});
