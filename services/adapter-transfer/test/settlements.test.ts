// ListSettlements end to end: the Xendit simulator's transactions report of what it really paid
// out on a Jakarta business day, read page by page by the real adapter over gRPC, with every
// discrepancy class injected through the control API showing up in what the adapter streams.
import {
  deadline,
  everyDiscrepancy,
  linesOf,
  makeDiscrepancyTargets,
  useSettlementDay,
} from "@paymesh/adapter-kit/testing";
import { adapterv1 } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { startHarness, transferRequest } from "./harness.ts";

const { FeeKind, SettlementType } = adapterv1;
const day = useSettlementDay((now) => startHarness({ simulator: { clock: now }, keepExchanges: false }));
const { clock, report, setUpReport, date: DAY } = day;

const idr = (minorUnits: bigint) => expect.objectContaining({ currency: "IDR", minorUnits });

/** A payout of `rupiah` that the bank completes (or fails); returns its payment id. */
async function payout(rupiah: bigint, status: "COMPLETED" | "FAILED" | "PENDING" = "COMPLETED") {
  const request = transferRequest({ rupiah });
  const created = await day.harness.client.createPayment(request, deadline());
  if (status !== "PENDING") {
    await day.harness.simulator.complete({ id: created.payment?.providerReference ?? "" }, { status });
  }
  clock.advance(60_000);
  return request.paymentId;
}

describe("ListSettlements from Xendit's transactions report", () => {
  it("streams each payout completed that Jakarta day, with Xendit's fee, VAT split out, and net", async () => {
    const paid = await payout(200_000n);
    await payout(300_000n, "FAILED"); // failed: moved nothing, not in the report
    await payout(400_000n, "PENDING");
    clock.set(new Date("2024-03-05T17:00:00Z")); // 00:00 WIB on the 6th
    const nextDay = await payout(500_000n);

    const { lines, batches } = await report();
    expect(lines).toEqual([
      expect.objectContaining({
        paymentId: paid,
        type: SettlementType.PAYMENT,
        amount: idr(20_000_000n),
        fees: [
          expect.objectContaining({
            kind: FeeKind.PROVIDER_FEE,
            amount: idr(400_000n),
            description: "xendit_fee",
          }),
          expect.objectContaining({
            kind: FeeKind.TAX,
            amount: idr(44_000n),
            description: "value_added_tax",
          }),
        ],
        fee: idr(444_000n),
        net: idr(19_556_000n),
        businessDate: DAY,
        batchId: "xendit-transactions-2024-03-05",
        providerStatus: "SUCCESS",
        unreadableReason: "",
      }),
    ]);
    expect(lines[0]?.providerReference).not.toBe("");
    expect(lines[0]?.rawLine).toContain(paid);
    // Xendit's transactions report declares no batch totals.
    expect(batches).toEqual([]);
    expect((await report("2024-03-06")).lines.map((line) => line.paymentId)).toEqual([nextDay]);
  });

  it("shows every injected discrepancy class except a batch total, which Xendit does not declare", async () => {
    const targets = await makeDiscrepancyTargets(
      (n) => payout(100_000n + 10_000n * BigInt(n)),
      () => payout(180_000n, "FAILED"),
    );
    const { missing, amount, currency, fee, duplicate, refunded, reversed, garbled } = targets;
    const failed = targets.unsettled;
    await setUpReport({ date: DAY, discrepancies: everyDiscrepancy(targets, { batchTotals: false }) });

    const streamed = await report();
    const of = (id: string) => linesOf(streamed, id);
    expect(of(missing)).toEqual([]);
    const extra = streamed.lines.filter((line) => line.paymentId.startsWith("unknown-"));
    expect(extra).toEqual([expect.objectContaining({ amount: idr(5_000_000n) })]);
    expect(of(amount)).toEqual([expect.objectContaining({ amount: idr(11_100_000n) })]);
    expect(of(currency)).toEqual([
      expect.objectContaining({
        amount: expect.objectContaining({ currency: "USD", minorUnits: 12_000_000n }),
      }),
    ]);
    expect(of(failed)).toEqual([
      expect.objectContaining({ type: SettlementType.PAYMENT, providerStatus: "SUCCESS" }),
    ]);
    expect(of(fee)[0]?.fees[0]?.amount?.minorUnits).toBe(450_000n);
    expect(of(duplicate)).toHaveLength(2);
    expect(of(refunded).map((line) => line.type)).toEqual([SettlementType.PAYMENT, SettlementType.REFUND]);
    expect(of(reversed).map((line) => [line.type, line.providerStatus])).toEqual([
      [SettlementType.PAYMENT, "SUCCESS"],
      [SettlementType.REVERSAL, "REVERSED"],
    ]);
    const unreadable = streamed.lines.filter((line) => line.unreadableReason !== "");
    expect(unreadable.map((line) => line.unreadableReason)).toEqual([
      'amount "170.000,00" is not a whole amount in IDR',
    ]);
    expect(unreadable[0]?.rawLine).toContain(garbled);
    expect(streamed.lines).toHaveLength(12);
  });

  it("refuses to inject a wrong batch total into a report that declares none", async () => {
    const answer = await fetch(`${day.harness.simulator.url}/sim/settlement-report`, {
      method: "POST",
      body: JSON.stringify({ date: DAY, discrepancies: [{ class: "batch-total-wrong" }] }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      error: "this provider's report declares no batch totals to get wrong",
    });
  });

  it("pages a synthesized 100 000-line report through lazily: the reader sets the pace", async () => {
    const reading = await day.readSynthesized({
      lines: 100_000,
      seed: 11,
      pauseAfter: 50,
      pages: () => day.harness.simulator.stats().requests.transactions ?? 0,
    });
    expect(reading.lines).toBe(100_000);
    // Xendit pages hold at most 50 transactions: 2 000 pages, and reading ahead would fetch them all.
    expect(reading.pages).toBe(2_000);
    expect(reading.pagesWhilePaused).toBeLessThan(400);
    expect(reading.retainedGrowth).toBeLessThan(16 * 1024 * 1024);
  }, 180_000);
});
