// ListSettlements end to end: the Midtrans simulator's report of what it really processed on a
// WIB day, read page by page by the real adapter over gRPC, with every discrepancy class injected
// through the control API showing up in what the adapter streams.
import {
  deadline,
  everyDiscrepancy,
  linesOf,
  makeDiscrepancyTargets,
  useSettlementDay,
} from "@paymesh/adapter-kit/testing";
import { adapterv1 } from "@paymesh/proto";
import { callControl } from "@paymesh/sandbox-kit";
import { describe, expect, it } from "vitest";
import { startHarness, vaPayment } from "./harness.ts";

const { FeeKind, SettlementType } = adapterv1;
const day = useSettlementDay((now) => startHarness({ simulator: { clock: now } }));
const { clock, report, setUpReport, date: DAY } = day;

/** Creates a VA payment of `rupiah` and returns its id (paid unless told otherwise). */
async function payment(rupiah: bigint, pay = true): Promise<string> {
  const request = vaPayment(rupiah);
  await day.harness.client.createPayment(request, deadline());
  if (pay) await day.harness.simulator.pay(request.paymentId);
  clock.advance(60_000);
  return request.paymentId;
}

const idr = (minorUnits: bigint) => expect.objectContaining({ currency: "IDR", minorUnits });

describe("ListSettlements from the Midtrans settlement report", () => {
  it("streams each VA paid that WIB day with gross, the Rp4.000 fee, PPN 11% on it, and net", async () => {
    const paid = await payment(150_000n);
    await payment(20_000n, false); // pending: not settled, not in the report
    clock.set(new Date("2024-03-05T17:30:00Z")); // 00:30 WIB on the 6th: the next business day
    const nextDay = await payment(30_000n);

    const { lines, batches } = await report();
    expect(lines).toEqual([
      expect.objectContaining({
        paymentId: paid,
        type: SettlementType.PAYMENT,
        amount: idr(15_000_000n),
        fees: [
          expect.objectContaining({ kind: FeeKind.PROVIDER_FEE, amount: idr(400_000n) }),
          expect.objectContaining({ kind: FeeKind.TAX, amount: idr(44_000n) }),
        ],
        fee: idr(444_000n),
        net: idr(14_556_000n),
        businessDate: DAY,
        batchId: "G000PAYMESH-20240305",
        providerStatus: "settlement",
        unreadableReason: "",
      }),
    ]);
    expect(lines[0]?.providerReference).not.toBe("");
    expect(lines[0]?.rawLine).toContain(paid);
    expect(batches).toEqual([
      expect.objectContaining({ lineCount: 1n, grossTotal: idr(15_000_000n), netTotal: idr(14_556_000n) }),
    ]);
    expect((await report("2024-03-06")).lines.map((line) => line.paymentId)).toEqual([nextDay]);
  });

  it("shows every injected discrepancy class, each exactly once", async () => {
    const targets = await makeDiscrepancyTargets(
      (n) => payment(10_000n + 1_000n * BigInt(n)),
      async () => {
        const expired = await payment(18_000n, false);
        await day.harness.simulator.expire(expired);
        return expired;
      },
    );
    const { missing, amount, currency, fee, duplicate, refunded, reversed, garbled } = targets;
    const expired = targets.unsettled;
    await setUpReport({ date: DAY, discrepancies: everyDiscrepancy(targets, { batchTotals: true }) });

    const streamed = await report();
    const { lines, batches } = streamed;
    const of = (id: string) => linesOf(streamed, id);
    expect(of(missing)).toEqual([]);
    const extra = lines.filter((line) => line.paymentId.startsWith("unknown-"));
    expect(extra).toEqual([expect.objectContaining({ amount: idr(5_000_000n) })]);
    expect(of(amount)).toEqual([expect.objectContaining({ amount: idr(1_200_000n) })]);
    expect(of(currency)).toEqual([
      expect.objectContaining({ amount: expect.objectContaining({ currency: "USD" }) }),
    ]);
    expect(of(expired)).toEqual([
      expect.objectContaining({ type: SettlementType.PAYMENT, amount: idr(1_800_000n) }),
    ]);
    expect(of(fee)[0]?.fees[0]?.amount?.minorUnits).toBe(450_000n);
    expect(of(duplicate)).toHaveLength(2);
    expect(of(duplicate)[0]?.providerReference).toBe(of(duplicate)[1]?.providerReference);
    expect(of(refunded).map((line) => line.type)).toEqual([SettlementType.PAYMENT, SettlementType.REFUND]);
    // Midtrans records money taken back from a settled VA as a chargeback.
    expect(of(reversed).map((line) => line.type)).toEqual([
      SettlementType.PAYMENT,
      SettlementType.CHARGEBACK,
    ]);
    expect(of(garbled)).toEqual([]);
    const unreadable = lines.filter((line) => line.unreadableReason !== "");
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.unreadableReason).toBe('gross_amount "17.000,00" is not an amount in IDR');
    expect(unreadable[0]?.rawLine).toContain(garbled);

    // The trailer declares the report's rupiah records (the garbled one's Rp17.000 too; the USD
    // one is no part of a rupiah payout), signed: what came in less what went back, plus the 700.
    const readable = lines.filter((line) => line.unreadableReason === "" && line.amount?.currency === "IDR");
    const back = new Set([SettlementType.REFUND, SettlementType.CHARGEBACK]);
    const gross = readable.reduce(
      (sum, line) => sum + (back.has(line.type) ? -1n : 1n) * (line.amount?.minorUnits ?? 0n),
      0n,
    );
    const garbledGross = 1_700_000n;
    expect(batches[0]?.grossTotal?.minorUnits).toBe(gross + garbledGross + 700n);
    expect(batches[0]?.lineCount).toBe(BigInt(readable.length + unreadable.length));
  });

  it("says on its first message how many records the report holds, for a reader's progress", async () => {
    await setUpReport({ date: DAY, synthesize: { lines: 1_203, seed: 3 } });
    const expected: bigint[] = [];
    let lines = 0;
    for await (const message of day.harness.client.listSettlements({ date: DAY }, deadline())) {
      expected.push(message.expectedLines);
      lines += message.settlements.length;
    }
    expect(lines).toBe(1_203);
    // Three pages of lines and the trailer: the count on the first only.
    expect(expected).toEqual([1_203n, 0n, 0n, 0n]);
  });

  it("refuses a discrepancy that names no transaction of that day", async () => {
    const answer = await callControl(day.harness.simulator.url, "POST", "/sim/settlement-report", {
      date: DAY,
      discrepancies: [{ class: "missing-line", target: "nobody" }],
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      error: "discrepancies[0].target must name a transaction of that day",
    });
  });

  it("forgets report setups on POST /sim/reset", async () => {
    await setUpReport({ date: DAY, synthesize: { lines: 10, seed: 1 } });
    expect((await report()).lines).toHaveLength(10);
    await callControl(day.harness.simulator.url, "POST", "/sim/reset");
    expect((await report()).lines).toEqual([]);
  });

  it("pages a synthesized 100 000-line report through lazily: the reader sets the pace", async () => {
    const reading = await day.readSynthesized({
      lines: 100_000,
      seed: 7,
      pauseAfter: 500,
      pages: () => day.harness.simulator.stats().requests.settlements ?? 0,
    });
    expect(reading.lines).toBe(100_000);
    expect(reading.pages).toBe(200);
    // Reading ahead would have fetched all 200 pages during the pause.
    expect(reading.pagesWhilePaused).toBeLessThan(40);
    // Half the report read, and the heap holds no more than a few pages beyond the start.
    expect(reading.retainedGrowth).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});
