// The generated Go client (clients/go) built offline with Debian's Go and its packaged gRPC and
// protobuf libraries (GOPATH mode: Debian installs Go libraries as a GOPATH tree, not as a module
// cache), then run against a real router, QRIS adapter and simulator.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "@paymesh/test-kit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEBIAN_GOPATH, goClientBuilds } from "../support/client-toolchains.ts";
import { type QrisStack, simulatorControl, startQrisStack, TEST_TOKEN } from "../support/qris-stack.ts";
import { repoRoot } from "../support/start-process.ts";

interface GoReport {
  created: string;
  status: string;
  replayed: string;
  fetched: string;
  invalid: { code: string; reason: string; field?: string; domain?: string } | null;
  bad_token: { code: string; reason: string; domain?: string } | null;
  failed: string[];
}

describe.skipIf(!goClientBuilds())("the Go client", () => {
  let stack: QrisStack;
  let report: GoReport;
  let workspace: string;

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), "paymesh-go-"));
    mkdirSync(join(workspace, "src/paymesh.dev/clients"), { recursive: true });
    symlinkSync(join(repoRoot, "clients/go"), join(workspace, "src/paymesh.dev/clients/go"));
    const binary = join(workspace, "interop");
    const build = await runProcess(
      { command: "go", args: ["build", "-o", binary, "./cmd/interop"] },
      {
        cwd: join(workspace, "src/paymesh.dev/clients/go"),
        env: { GO111MODULE: "off", GOPATH: `${workspace}:${DEBIAN_GOPATH}`, GOFLAGS: "" },
        timeoutMs: 240_000,
      },
    );
    if (build.code !== 0) throw new Error(`go build failed (${build.code}):\n${build.stderr}`);
    stack = await startQrisStack();
    const run = await runProcess(
      { command: binary, args: ["-target", stack.routerGrpc, "-token", TEST_TOKEN] },
      { timeoutMs: 60_000 },
    );
    if (!run.stdout.startsWith("{")) throw new Error(`the Go program failed (${run.code}):\n${run.stderr}`);
    report = JSON.parse(run.stdout) as GoReport;
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it("passes every check it runs", () => {
    expect(report.failed).toEqual([]);
  });

  it("creates a payment, replays it to the same one, and charges it once", async () => {
    expect(report.created).toMatch(/^pay_/);
    expect(report.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
    expect(report.replayed).toBe(report.created);
    expect(report.fetched).toBe(report.created);
    const stats = await simulatorControl<{ charges: number }>(stack.simulatorUrl, "/sim/stats");
    expect(stats.charges).toBe(1);
  });

  it("decodes the ErrorInfo of a refused request and of a bad token", () => {
    expect(report.invalid).toEqual({
      code: "InvalidArgument",
      reason: "INVALID_FIELD",
      field: "amount.currency",
      domain: "paymesh.dev",
    });
    expect(report.bad_token).toEqual({
      code: "Unauthenticated",
      reason: "UNAUTHENTICATED",
      domain: "paymesh.dev",
    });
  });
});
