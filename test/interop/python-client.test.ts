// The generated Python client (clients/python) against real processes: router, QRIS adapter and
// its simulator. The Python program runs every check a calling service relies on and reports what
// it saw; this test reads that report and then checks the outcome from outside, through the
// router and the simulator.
import { runProcess } from "@paymesh/test-kit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEBIAN_PYTHON, pythonClientRuns } from "../support/client-toolchains.ts";
import { plainPaymentClient } from "../support/plain-client.ts";
import { type QrisStack, simulatorControl, startQrisStack, TEST_TOKEN } from "../support/qris-stack.ts";
import { repoRoot } from "../support/start-process.ts";

interface PythonReport {
  create: { id: string; status: string };
  replay: { id: string; same: boolean };
  get: { id: string; status: string };
  list: { pages: number; all_found: boolean; duplicates: number };
  watch: { statuses: string[] };
  invalid: { refused: boolean; code?: string; reason?: string; field?: string; domain?: string };
  bad_token: { refused: boolean; code?: string; reason?: string };
  failed: string[];
}

describe.skipIf(!pythonClientRuns())("the Python client", () => {
  let stack: QrisStack;
  let report: PythonReport;

  beforeAll(async () => {
    stack = await startQrisStack();
    const run = await runProcess(
      {
        command: DEBIAN_PYTHON,
        args: [
          "clients/python/examples/interop.py",
          "--target",
          stack.routerGrpc,
          "--token",
          TEST_TOKEN,
          "--simulator-url",
          stack.simulatorUrl,
        ],
      },
      { cwd: repoRoot, timeoutMs: 60_000 },
    );
    if (run.code !== 0 && !run.stdout.startsWith("{"))
      throw new Error(`the Python program failed (${run.code}):\n${run.stderr}`);
    report = JSON.parse(run.stdout) as PythonReport;
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("passes every check it runs", () => {
    expect(report.failed).toEqual([]);
  });

  it("creates a payment and gets the same one back on replay and on GetPayment", () => {
    expect(report.create.id).toMatch(/^pay_/);
    expect(report.replay).toEqual({ id: report.create.id, same: true });
    expect(report.get.id).toBe(report.create.id);
  });

  it("pages through ListPayments with no payment twice", () => {
    expect(report.list.pages).toBeGreaterThanOrEqual(2);
    expect(report.list).toMatchObject({ all_found: true, duplicates: 0 });
  });

  it("follows WatchPayment to SUCCEEDED once the simulator was paid, and the router agrees", async () => {
    expect(report.watch.statuses).toEqual(["PAYMENT_STATUS_REQUIRES_ACTION", "PAYMENT_STATUS_SUCCEEDED"]);
    const client = plainPaymentClient(stack.routerGrpc, TEST_TOKEN);
    try {
      const { payment } = await client.call<{ payment: { status: string } }>("GetPayment", {
        paymentId: report.create.id,
      });
      expect(payment.status).toBe("PAYMENT_STATUS_SUCCEEDED");
    } finally {
      client.close();
    }
  });

  it("charged each payment once: four created, the replay and the refused request charged nothing", async () => {
    const stats = await simulatorControl<{ charges: number }>(stack.simulatorUrl, "/sim/stats");
    expect(stats.charges).toBe(4);
  });

  it("decodes the ErrorInfo reason, domain and field of a refused request", () => {
    expect(report.invalid).toEqual({
      refused: true,
      code: "INVALID_ARGUMENT",
      reason: "INVALID_FIELD",
      field: "amount.currency",
      domain: "paymesh.dev",
    });
  });

  it("is refused with UNAUTHENTICATED for a token the router never gave", () => {
    expect(report.bad_token).toEqual({ refused: true, code: "UNAUTHENTICATED", reason: "UNAUTHENTICATED" });
  });
});
