// The chaos run (test/chaos, `pnpm chaos`) in small, so CI guards it: 120 payments across the four
// adapters with 20% injected faults and a fixed seed, against real processes. Nothing may be charged
// twice or lost, and every payment must end terminal or waiting on a customer who never acts.
import { expect, it } from "vitest";
import { formatReport } from "../chaos/report.ts";
import { inKnownState, TERMINAL } from "../chaos/router-client.ts";
import { runChaos } from "../chaos/run.ts";

it("120 payments with 20% faults: no duplicates, nothing lost, all terminal or waiting on the customer", async () => {
  const result = await runChaos({
    seed: 20_261_124,
    payments: 120,
    faultRate: 0.2,
    concurrency: 12,
    budgetMs: 110_000,
  });
  const report = formatReport(result, 5);
  expect(result.mix.faulted, report).toBeGreaterThan(10);
  expect(result.audit.counts.duplicates, report).toBe(0);
  expect(result.audit.counts.lost, report).toBe(0);
  expect(result.audit.counts.disagreements, report).toBe(0);
  expect(result.incomplete, report).toEqual([]);
  expect(result.audit.client.harnessErrors, report).toBe(0);
  expect(result.routerPayments.length, report).toBeGreaterThan(100);
  for (const payment of result.routerPayments) {
    const settled =
      inKnownState(payment) &&
      (TERMINAL.has(payment.status) || payment.status === "PAYMENT_STATUS_REQUIRES_ACTION");
    expect(settled, `${payment.id} ${payment.status} ${payment.outcomeUnknown}\n${report}`).toBe(true);
  }
  // The faults did their job: some outcomes were unknown, and the router resolved them.
  expect(result.audit.client.unknownSeen, report).toBeGreaterThan(0);
  expect(result.audit.counts.resolvedFromUnknown, report).toBeGreaterThan(0);
}, 150_000);
