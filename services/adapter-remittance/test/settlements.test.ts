// ListSettlements end to end: the Wise simulator's balance statement of what it really booked on
// a UTC day, read slice by slice by the real adapter over gRPC, with every discrepancy class a
// statement can show injected through the control API.
import {
  deadline,
  everyDiscrepancy,
  linesOf,
  makeDiscrepancyTargets,
  useSettlementDay,
} from "@paymesh/adapter-kit/testing";
import { adapterv1 } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { idrQuote, remittancePayment, startAdapter } from "./harness.ts";

const { FeeKind, SettlementType } = adapterv1;
const day = useSettlementDay((now) => startAdapter({ clock: now }));
const { clock, report, setUpReport, date: DAY } = day;

const idr = (minorUnits: bigint) => expect.objectContaining({ currency: "IDR", minorUnits });

/** A funded transfer of `amount` rupiah (text, 2 decimals); returns its Wise transfer id. */
async function transfer(amount = "1500000.00"): Promise<string> {
  const request = remittancePayment(await idrQuote(day.harness, amount));
  const created = await day.harness.client.createPayment(request, deadline());
  clock.advance(60_000);
  return created.payment?.providerReference ?? "";
}

describe("ListSettlements from Wise balance statements", () => {
  it("streams each transfer funded that UTC day as a DEBIT with Wise's fee, net of it", async () => {
    const funded = await transfer();
    clock.set(new Date("2024-03-06T00:00:00Z"));
    const nextDay = await transfer();

    const { lines, batches } = await report();
    expect(lines).toEqual([
      expect.objectContaining({
        paymentId: "",
        providerReference: funded,
        type: SettlementType.PAYMENT,
        amount: idr(1_500_000_00n),
        fees: [expect.objectContaining({ kind: FeeKind.PROVIDER_FEE, amount: idr(11_750_00n) })],
        fee: idr(11_750_00n),
        net: idr(1_488_250_00n),
        businessDate: DAY,
        providerStatus: "DEBIT",
        unreadableReason: "",
      }),
    ]);
    expect(lines[0]?.batchId).toMatch(/^wise-statement-\d+-2024-03-05$/);
    // The recipient's name in the statement's description never leaves the adapter in clear.
    expect(lines[0]?.rawLine).not.toContain("Sent money to J");
    expect(batches).toEqual([]);
    expect((await report("2024-03-06")).lines.map((line) => line.providerReference)).toEqual([nextDay]);
  });

  it("shows every injected discrepancy class a statement can carry", async () => {
    const targets = await makeDiscrepancyTargets(
      () => transfer(),
      async () => {
        // Funding refused (magic amount), then cancelled: a transfer that never moved money.
        const unfunded = remittancePayment(await idrQuote(day.harness, "66666.66"));
        const created = await day.harness.client.createPayment(unfunded, deadline());
        const cancelled = created.payment?.providerReference ?? "";
        await day.harness.client.cancelPayment(
          { paymentId: unfunded.paymentId ?? "", providerReference: cancelled },
          deadline(),
        );
        return cancelled;
      },
    );
    const { missing, amount, currency, fee, duplicate, refunded, reversed, garbled } = targets;
    const cancelled = targets.unsettled;
    await setUpReport({ date: DAY, discrepancies: everyDiscrepancy(targets, { batchTotals: false }) });

    const streamed = await report();
    const of = (id: string) => linesOf(streamed, id);
    expect(of(missing)).toEqual([]);
    const extra = streamed.lines.filter((line) => line.providerReference.startsWith("EXTRA"));
    expect(extra).toEqual([expect.objectContaining({ amount: idr(5_000_000n) })]);
    expect(of(amount)).toEqual([expect.objectContaining({ amount: idr(1_500_000_00n + 100_000n) })]);
    expect(of(currency)).toEqual([
      expect.objectContaining({ amount: expect.objectContaining({ currency: "USD" }) }),
    ]);
    expect(of(cancelled)).toEqual([
      expect.objectContaining({ type: SettlementType.PAYMENT, providerStatus: "DEBIT" }),
    ]);
    expect(of(fee)[0]?.fees[0]?.amount?.minorUnits).toBe(11_750_00n + 50_000n);
    expect(of(duplicate)).toHaveLength(2);
    // A statement has no word for a refund: money coming back to the balance is a CREDIT.
    expect(of(refunded).map((line) => line.providerStatus)).toEqual(["DEBIT", "CREDIT"]);
    expect(of(reversed).map((line) => line.type)).toEqual([SettlementType.PAYMENT, SettlementType.REVERSAL]);
    const unreadable = streamed.lines.filter((line) => line.unreadableReason !== "");
    expect(unreadable.map((line) => line.unreadableReason)).toEqual([
      'amount.value "-1.500.000,00" is not an amount in IDR',
    ]);
    expect(unreadable[0]?.rawLine).toContain(`TRANSFER-${garbled}`);
  });

  it("reads a synthesized 100 000-line day slice by slice: the reader sets the pace", async () => {
    const reading = await day.readSynthesized({
      lines: 100_000,
      seed: 5,
      pauseAfter: 1_000,
      pages: () => day.harness.simulator.stats().requests["balance-statement"] ?? 0,
    });
    expect(reading.lines).toBe(100_000);
    // One statement request per quarter hour of the day for each of the three balances (IDR
    // holds the lines); reading ahead would have fetched the IDR balance's 96 during the pause.
    expect(reading.pages).toBe(96 * 3);
    expect(reading.pagesWhilePaused).toBeLessThan(48);
    expect(reading.retainedGrowth).toBeLessThan(24 * 1024 * 1024);
  }, 180_000);
});
