// The operator commands against a real router: `paymesh adapters` and `paymesh payments stuck`.
import type { ServiceError } from "@grpc/grpc-js";
import { waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPaymesh } from "../support/cli-process.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { type QrisStack, simulatorControl, startQrisStack, TEST_TOKEN } from "../support/qris-stack.ts";

let stack: QrisStack;
let client: ReturnType<typeof plainPaymentClient>;

beforeAll(async () => {
  stack = await startQrisStack();
  client = plainPaymentClient(stack.routerGrpc, TEST_TOKEN);
});
afterAll(async () => {
  client?.close();
  await stack?.stop();
});

/** Runs the real CLI as a process against the stack. */
function paymesh(args: string[]) {
  return runPaymesh(args, {
    PAYMESH_TOKEN: TEST_TOKEN,
    PAYMESH_ROUTER: stack.routerGrpc,
    PAYMESH_ROUTER_HTTP: stack.routerHttp,
  });
}

describe("operator commands", () => {
  it("paymesh adapters shows the QRIS adapter reachable with its breaker closed", async () => {
    const result = await paymesh(["adapters", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const { adapters } = JSON.parse(result.stdout) as { adapters: Array<Record<string, unknown>> };
    expect(adapters).toEqual([
      expect.objectContaining({
        name: "qris",
        address: stack.adapterAddress,
        breaker: "closed",
        reachable: true,
        provider: "snap-qris",
      }),
    ]);
    const refused = await paymesh(["adapters", "--token", "not-a-configured-token-000000000"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("401");
  });

  it("paymesh payments list shows the caller's payments newest first, filtered by status", async () => {
    const created: string[] = [];
    for (const key of ["cli-list-1", "cli-list-2"]) {
      const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", {
        idempotencyKey: key,
        amount: { currency: "IDR", minorUnits: "2500000" },
        qris: {},
      });
      created.push(payment.id);
    }
    const listed = await paymesh(["payments", "list", "--status", "requires_action", "--limit", "2"]);
    expect(listed.code, listed.stderr).toBe(0);
    const ids = listed.stdout.split("\n").flatMap((line) => line.match(/^pay_[0-9a-z]{26}/) ?? []);
    expect(ids).toEqual([...created].reverse());
    expect(listed.stdout).toContain("25000.00 IDR");
    const none = await paymesh(["payments", "list", "--status", "succeeded"]);
    expect(none.stdout).not.toContain(created[0] ?? "");
  });

  it("paymesh payments stuck lists a payment whose outcome is unknown, and why", async () => {
    await simulatorControl(stack.simulatorUrl, "/sim/config", { latencyMs: 3_000 });
    let stuckId = "";
    try {
      const error = await client
        .call(
          "CreatePayment",
          { idempotencyKey: "cli-stuck-1", amount: { currency: "IDR", minorUnits: "100000" }, qris: {} },
          { deadlineMs: 400 },
        )
        .then(
          () => undefined,
          (failure: unknown) => failure as ServiceError,
        );
      expect(error?.code).toBe(4);
      const { payments } = await client.call<{ payments: PlainPayment[] }>("ListPayments", {
        unresolvedOnly: true,
      });
      stuckId = payments[0]?.id ?? "";
      expect(stuckId).toMatch(/^pay_/);
      const result = await paymesh(["payments", "stuck"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(stuckId);
      expect(result.stdout).toContain("outcome unknown");
    } finally {
      await simulatorControl(stack.simulatorUrl, "/sim/config", { latencyMs: 0 });
    }
  });
});

describe("metrics", () => {
  it("serves breaker state, reachability and resolver outcomes as Prometheus text", async () => {
    // The stuck payment of the test above is resolved by the resolver once the bank is fast again.
    const text = await waitFor(
      async () => {
        const body = await (await fetch(`${stack.routerHttp}/metrics`)).text();
        return body.includes('paymesh_resolver_events_total{kind="resolved"}') ? body : undefined;
      },
      15_000,
      "a resolver outcome in /metrics",
    );
    expect(text).toContain('paymesh_adapter_breaker_state{adapter="qris",state="closed"} 1');
    expect(text).toContain('paymesh_adapter_up{adapter="qris"} 1');
    expect(text).toContain("# TYPE paymesh_adapter_policy_events_total counter");
  });
});
