import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "@paymesh/store/testing";
import { waitFor } from "@paymesh/test-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { MAIN, spawnCli } from "../testing/spawn-cli.ts";

interface Summary {
  router: { grpc: string; http: string };
  adapters: Record<string, { simulatorUrl: string }>;
  token: string;
  reconciliation: { host: string; http?: string };
}

const ADAPTERS = ["qris", "remittance", "transfer", "va"];

/**
 * Waits until `paymesh recon list` shows, for every adapter, a completed run of a past day: the
 * stack's scheduler found the days of its look-back due at start, and its worker read each
 * adapter's report from its simulator. Returns the runs.
 */
async function reconciledDays(
  summary: Summary,
): Promise<Array<{ adapter: string; businessDate: string; status: string }>> {
  const list = ["recon", "list", "--json", "--router-http", summary.router.http, "--token", summary.token];
  return waitFor(
    async () => {
      const run = await spawnCli(list);
      const { runs } = JSON.parse(run.stdout) as {
        runs: Array<{ adapter: string; businessDate: string; status: string }>;
      };
      const done = new Set(runs.filter((each) => each.status === "completed").map((each) => each.adapter));
      return ADAPTERS.every((adapter) => done.has(adapter)) ? runs : undefined;
    },
    120_000,
    "a completed reconciliation run of every adapter",
  );
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
      // PGlite is the router's alone: the router hosts the reconciler.
      reconciliation: { host: "router" },
    });
    const { router, token } = first.summary as Summary;
    const runs = await reconciledDays(first.summary as Summary);
    // A week's look-back of each adapter, each day once, none failed.
    expect(runs.filter((run) => run.status === "failed")).toEqual([]);
    expect(new Set(runs.map((run) => `${run.adapter} ${run.businessDate}`)).size).toBe(runs.length);
    const metrics = await (await fetch(`${router.http}/metrics`)).text();
    expect(metrics).toMatch(
      /^paymesh_reconciliation_runs_total\{adapter="qris",outcome="completed"\} [1-9]/m,
    );
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
    // The days reconciled before the restart are not run again: the same runs, one per day.
    expect((await reconciledDays(restarted)).length).toBe(runs.length);
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

const databaseUrl = postgresUrlForTests();

describe.runIf(databaseUrl !== undefined)("paymesh up on Postgres", () => {
  it("starts the reconciler as a process of its own on the router's database, and stops it on Ctrl-C", async () => {
    const schema = uniqueTestSchema();
    onTestFinished(() => dropTestSchema(databaseUrl ?? "", schema));
    const up = await startUp({
      ...process.env,
      DATABASE_URL: databaseUrl,
      PAYMESH_DB_SCHEMA: schema,
      PAYMESH_KEK: `up-test:${randomBytes(32).toString("base64")}`,
      SIM_DATA_DIR: "",
      REDIS_URL: "",
      AMQP_URL: "",
    });
    expect(up.summary, up.stderr()).toMatchObject({
      backends: { database: "Postgres (DATABASE_URL)" },
      reconciliation: { host: "reconciler", http: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    const summary = up.summary as Summary;
    const runs = await reconciledDays(summary);
    expect(runs.filter((run) => run.status === "failed")).toEqual([]);
    // The reconciler process counted them; the router only reads the runs it wrote.
    const metrics = await (await fetch(`${summary.reconciliation.http}/metrics`)).text();
    expect(metrics).toMatch(/^paymesh_reconciliation_runs_total\{adapter="va",outcome="completed"\} [1-9]/m);
    expect(up.stderr()).toMatch(/^reconciler {2,}\| /m);
    await expectCleanStop(up, up.summary);
  }, 300_000);
});
