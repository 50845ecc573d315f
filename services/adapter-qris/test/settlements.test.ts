// ListSettlements end to end: the SNAP simulator's acquirer settlement file of what it really
// processed on a WIB day (00:00 WIB cut-off, T+1), read a piece at a time by the real adapter over
// gRPC, with every discrepancy class injected through the control API showing up in its output.
import {
  deadline,
  everyDiscrepancy,
  linesOf,
  makeDiscrepancyTargets,
  newPaymentId,
  useSettlementDay,
} from "@paymesh/adapter-kit/testing";
import { adapterv1 } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { startHarness } from "./harness.ts";

const { FeeKind, SettlementType } = adapterv1;
const day = useSettlementDay((now) =>
  startHarness({ simulator: { clock: now }, client: { clock: now }, provider: { clock: now } }),
);
const { clock, report, setUpReport, date: DAY } = day;

const idr = (minorUnits: bigint) => expect.objectContaining({ currency: "IDR", minorUnits });

/** A dynamic QR of `rupiah`, paid by the customer unless told otherwise; returns its payment id. */
async function qr(rupiah: bigint, pay = true): Promise<string> {
  const paymentId = newPaymentId();
  const request = {
    paymentId,
    amount: { currency: "IDR", minorUnits: rupiah * 100n },
    method: { case: "qris" as const, value: { terminalLabel: "KASIR-01" } },
  };
  await day.harness.client.createPayment(request, deadline());
  if (pay) await day.harness.simulator.pay({ partnerReferenceNo: paymentId });
  clock.advance(60_000);
  return paymentId;
}

describe("ListSettlements from the acquirer's QRIS settlement file", () => {
  it("streams each QR paid that WIB day with the 0.7% MDR, PPN 11% on it, net, and the trailer", async () => {
    const paid = await qr(250_000n);
    await qr(30_000n, false); // never paid: not settled
    clock.set(new Date("2024-03-05T16:59:00Z")); // 23:59 WIB: still the 5th
    const lastMinute = await qr(40_000n);
    const nextDay = await qr(50_000n); // 00:00 WIB on the 6th: the next file

    const { lines, batches } = await report();
    expect(lines.map((line) => line.paymentId)).toEqual([paid, lastMinute]);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        type: SettlementType.PAYMENT,
        amount: idr(25_000_000n),
        fees: [
          expect.objectContaining({ kind: FeeKind.PROVIDER_FEE, amount: idr(175_000n), description: "MDR" }),
          expect.objectContaining({ kind: FeeKind.TAX, amount: idr(19_200n) }),
        ],
        fee: idr(194_200n),
        net: idr(24_805_800n),
        businessDate: DAY,
        batchId: "PAYMESHSIM0001-20240305",
        providerStatus: "SUCCESS",
        unreadableReason: "",
      }),
    );
    // The payer's PAN is in the file; only its last four digits leave the adapter.
    expect(lines[0]?.rawLine).toMatch(/,\*{4}\d{4}$/);
    expect(batches).toEqual([
      expect.objectContaining({
        batchId: "PAYMESHSIM0001-20240305",
        lineCount: 2n,
        grossTotal: idr(29_000_000n),
        rawLine: expect.stringMatching(/^T,2,29000000,\d+$/),
      }),
    ]);
    expect((await report("2024-03-06")).lines.map((line) => line.paymentId)).toEqual([nextDay]);
  });

  it("shows every injected discrepancy class, each exactly once", async () => {
    const targets = await makeDiscrepancyTargets(
      (n) => qr(10_000n + 1_000n * BigInt(n)),
      async () => {
        const cancelled = await qr(18_000n, false);
        await day.harness.client.cancelPayment({ paymentId: cancelled }, deadline());
        return cancelled;
      },
    );
    const { missing, amount, currency, fee, duplicate, refunded, reversed, garbled } = targets;
    const cancelled = targets.unsettled;
    await setUpReport({ date: DAY, discrepancies: everyDiscrepancy(targets, { batchTotals: true }) });

    const streamed = await report();
    const of = (id: string) => linesOf(streamed, id);
    expect(of(missing)).toEqual([]);
    const extra = streamed.lines.filter((line) => line.paymentId.startsWith("unknown-"));
    expect(extra).toEqual([expect.objectContaining({ amount: idr(5_000_000n) })]);
    expect(of(amount)).toEqual([expect.objectContaining({ amount: idr(1_200_000n) })]);
    expect(of(currency)).toEqual([
      expect.objectContaining({ amount: expect.objectContaining({ currency: "USD" }) }),
    ]);
    expect(of(cancelled)).toEqual([
      expect.objectContaining({ type: SettlementType.PAYMENT, amount: idr(1_800_000n) }),
    ]);
    expect(of(fee)[0]?.fees[0]?.amount?.minorUnits).toBe(9_100n + 50_000n);
    expect(of(duplicate)).toHaveLength(2);
    expect(of(refunded).map((line) => line.type)).toEqual([SettlementType.PAYMENT, SettlementType.REFUND]);
    expect(of(reversed).map((line) => line.type)).toEqual([SettlementType.PAYMENT, SettlementType.REVERSAL]);
    const unreadable = streamed.lines.filter((line) => line.unreadableReason !== "");
    expect(unreadable.map((line) => line.unreadableReason)).toEqual([
      // The amount, written "17.000,00", splits into two cells.
      "the row has 16 cells, the header 15",
    ]);
    expect(unreadable[0]?.rawLine).toContain(garbled);
    // The trailer declares the file's rupiah rows (the garbled one's Rp17.000 too; the USD row is
    // no part of a rupiah payout), signed: what came in less what went back, plus the injected 700.
    const rupiah = streamed.lines.filter((line) => line.amount?.currency === "IDR");
    const back = new Set([SettlementType.REFUND, SettlementType.REVERSAL]);
    const gross = rupiah.reduce(
      (sum, line) => sum + (back.has(line.type) ? -1n : 1n) * (line.amount?.minorUnits ?? 0n),
      0n,
    );
    expect(streamed.batches[0]?.grossTotal?.minorUnits).toBe(gross + 1_700_000n + 700n);
    expect(streamed.batches[0]?.lineCount).toBe(BigInt(rupiah.length + unreadable.length));
  });

  it("reads a synthesized 100 000-line file a piece at a time: the reader sets the pace", async () => {
    const reading = await day.readSynthesized({
      lines: 100_000,
      seed: 3,
      pauseAfter: 1_000,
      pages: () => day.harness.simulator.stats().requests.settlements ?? 0,
    });
    expect(reading.lines).toBe(100_000);
    expect(reading.pages).toBe(100);
    // Reading ahead would have fetched all 100 pieces during the pause.
    expect(reading.pagesWhilePaused).toBeLessThan(25);
    expect(reading.retainedGrowth).toBeLessThan(16 * 1024 * 1024);
  }, 180_000);
});
