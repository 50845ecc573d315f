import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@paymesh/test-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { MAIN, spawnCli } from "../testing/spawn-cli.ts";

interface Summary {
  router: { grpc: string };
  adapters: Record<string, { simulatorUrl: string }>;
  token: string;
}

/**
 * Runs `paymesh up --json` in its own process group, like a shell job, and resolves with the JSON
 * document once it is whole; `interrupt()` sends the Ctrl-C to the whole group, services included.
 */
async function startUp(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [MAIN, "up", "--grpc-port", "0", "--http-port", "0", "--json"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
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
  const summary = await Promise.race([
    exited.then(() => undefined),
    new Promise<unknown>((resolve) => {
      const poll = setInterval(() => {
        try {
          const parsed: unknown = JSON.parse(stdout);
          clearInterval(poll);
          resolve(parsed);
        } catch {
          // not the whole document yet
        }
      }, 100);
      void exited.then(() => clearInterval(poll));
    }),
  ]);
  return {
    summary,
    stdout: () => stdout,
    stderr: () => stderr,
    interrupt() {
      process.kill(-(child.pid ?? 0), "SIGINT");
      return exited;
    },
  };
}

/** What a Ctrl-C of `up` must look like: exit 0, one line of ours, no failure from any service. */
async function expectCleanStop(up: Awaited<ReturnType<typeof startUp>>, summary: unknown): Promise<void> {
  expect(await up.interrupt()).toEqual({ code: 0, signal: null });
  const ours = up
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("paymesh:"));
  expect(ours).toEqual(["paymesh: stopping the stack"]);
  expect(up.stderr()).not.toMatch(/exited \(|ELIFECYCLE|Command failed/);
  expect(JSON.parse(up.stdout())).toEqual(summary);
}

// The whole stack (nine services) starts here twice, on free ports with a throwaway data folder, the
// way a newcomer runs it; on a busy machine the router alone can take half a minute.
describe("paymesh up", () => {
  it("prints the stack as one JSON document, stops on Ctrl-C with exit 0, and a restart keeps a pending payment payable", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paymesh-up-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const pglite = join(dataDir, "pglite");
    const env = {
      ...process.env,
      PAYMESH_DATA_DIR: pglite,
      SIM_DATA_DIR: "",
      DATABASE_URL: "",
      REDIS_URL: "",
      AMQP_URL: "",
    };

    const first = await startUp(env);
    expect(first.summary, first.stderr()).toMatchObject({
      router: { grpc: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
      token: "paymesh-local-dev-token-cli-0001",
      backends: {
        database: `PGlite (${pglite})`,
        idempotency: "in memory",
        queue: "in process",
        simulators: join(dataDir, "sandboxes"),
      },
    });
    const { router, token } = first.summary as Summary;
    const created = await spawnCli([
      "pay",
      "qris",
      "--amount",
      "25000",
      "--json",
      "--router",
      router.grpc,
      "--token",
      token,
    ]);
    expect(created.stderr).toBe("");
    const payment = JSON.parse(created.stdout) as { id: string; status: string };
    expect(payment.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
    await expectCleanStop(first, first.summary);

    const second = await startUp(env);
    const restarted = second.summary as Summary;
    expect(restarted.adapters.qris?.simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sandboxUrl = restarted.adapters.qris?.simulatorUrl ?? "";
    const paid = await spawnCli([
      "sandbox",
      "pay",
      "qris",
      payment.id,
      "--sandbox-url",
      sandboxUrl,
      "--json",
    ]);
    expect(JSON.parse(paid.stdout)).toMatchObject({ status: "paid", notified: 200 });
    const get = [
      "payments",
      "get",
      payment.id,
      "--json",
      "--router",
      restarted.router.grpc,
      "--token",
      token,
    ];
    const succeeded = await waitFor(
      async () => {
        const status = (JSON.parse((await spawnCli(get)).stdout) as { status: string }).status;
        return status === "PAYMENT_STATUS_SUCCEEDED" ? status : undefined;
      },
      30_000,
      "the payment to succeed",
    );
    expect(succeeded).toBe("PAYMENT_STATUS_SUCCEEDED");
    await expectCleanStop(second, second.summary);
  }, 300_000);
});
