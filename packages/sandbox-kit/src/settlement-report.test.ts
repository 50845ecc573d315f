import { describe, expect, it } from "vitest";
import { isControlError } from "./control-error.ts";
import {
  applyDiscrepancies,
  dayReportSource,
  parseDiscrepancies,
  type ReportCandidate,
  reportPage,
  reportTotals,
  synthesizedEntry,
  synthesizedSource,
  timeWindow,
} from "./settlement-report.ts";

const price = (gross: bigint) => ({ fee: gross / 100n, vat: 0n });
const at = (hour: number) => new Date(Date.UTC(2024, 2, 5, hour));
const candidate = (reference: string, hour: number, settled = true): ReportCandidate => ({
  paymentId: `pay-${reference}`,
  reference,
  currency: "IDR",
  gross: 1_000_000n,
  at: at(hour),
  settled,
});
const day = [candidate("a", 1), candidate("b", 2), candidate("c", 3, false)];
const context = { date: "2024-03-05", price };

describe("applyDiscrepancies", () => {
  it("reports what settled, priced, in time order; what did not settle stays out", () => {
    const { entries, totalError } = applyDiscrepancies(day, [], context);
    expect(entries.map((entry) => [entry.reference, entry.fee])).toEqual([
      ["a", 10_000n],
      ["b", 10_000n],
    ]);
    expect(totalError).toBe(0n);
  });

  it("applies each discrepancy to its target only", () => {
    const discrepancies = parseDiscrepancies(
      [
        { class: "missing-line", target: "pay-a" },
        { class: "status-mismatch", target: "c" },
        { class: "duplicate-line", target: "b" },
        { class: "batch-total-wrong", delta: 5 },
      ],
      day,
    );
    const { entries, totalError } = applyDiscrepancies(day, discrepancies, context);
    expect(entries.map((entry) => entry.reference)).toEqual(["b", "b", "c"]);
    expect(reportTotals(dayReportSource({ entries, totalError }, "IDR")).gross).toBe(3_000_005n);
  });

  it("declares signed totals of the settlement currency's lines: what the day pays out", () => {
    const discrepancies = parseDiscrepancies(
      [
        { class: "refund-without-record", target: "a", amount: 400_000 },
        { class: "reversal-without-record", target: "b" },
        { class: "currency-changed", target: "b", currency: "USD" },
        { class: "unreadable-line", target: "a" },
      ],
      day,
    );
    const source = dayReportSource(applyDiscrepancies(day, discrepancies, context), "IDR");
    // a: +1 000 000 (fee 10 000, garbled but written), its refund -400 000; b and its reversal in
    // USD are no part of the rupiah payout.
    expect(reportTotals(source)).toEqual({ count: 2, gross: 600_000n, net: 590_000n });
  });

  it("refuses a target of another day, a status mismatch on a settled one, an unknown class", () => {
    const refusal = (raw: unknown) => {
      try {
        parseDiscrepancies(raw, day);
      } catch (error) {
        return isControlError(error) ? error.message : String(error);
      }
      return "accepted";
    };
    expect(refusal([{ class: "fee-changed", target: "zzz" }])).toBe(
      "discrepancies[0].target must name a transaction of that day",
    );
    expect(refusal([{ class: "status-mismatch", target: "a" }])).toBe(
      "discrepancies[0].target must name a transaction that did not settle",
    );
    expect(refusal([{ class: "missing-line", target: "c" }])).toBe(
      "discrepancies[0].target must name a transaction that settled",
    );
    expect(refusal([{ class: "vanish" }])).toMatch(
      /^discrepancies\[0\]\.class must be one of missing-line, /,
    );
  });
});

describe("synthesized reports", () => {
  const synthesis = { lines: 1_000_000, seed: 42 };
  const basis = { dayStart: at(0), currency: "IDR", price };

  it("computes any line from (seed, index) alone, the same every time", () => {
    const line = synthesizedEntry(synthesis, basis, 734_512);
    expect(synthesizedEntry(synthesis, basis, 734_512)).toEqual(line);
    expect(line.paymentId).toBe("syn-42-734512");
    expect(line.gross % 100n).toBe(0n);
    expect(line.gross).toBeGreaterThanOrEqual(1_000_000n);
    expect(line.gross).toBeLessThanOrEqual(100_000_000n);
    expect(synthesizedEntry({ ...synthesis, seed: 43 }, basis, 734_512).gross).not.toBe(line.gross);
  });

  it("serves the last page of a million lines without building the others", () => {
    const source = synthesizedSource(synthesis, basis);
    const page = reportPage(source, "999990", 50);
    if (page === "badCursor") throw new Error("expected a page");
    expect(page.entries.map((entry) => entry.paymentId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `syn-42-${999_990 + i}`),
    );
    expect(page.next).toBeUndefined();
    expect(reportPage(source, "x1", 50)).toBe("badCursor");
    expect(reportPage(source, "1000001", 50)).toBe("badCursor");
  });

  it("finds a time window by binary search: an hour of an even day is a 24th of it", () => {
    const source = synthesizedSource({ lines: 240_000, seed: 1 }, basis);
    expect(timeWindow(source, at(5), at(6))).toEqual({ start: 50_000, end: 60_000 });
  });
});
