import { ControlError } from "./control-error.ts";
import { seededInteger } from "./seeded-random.ts";

/**
 * One line of a simulated settlement report, provider-neutral: each simulator turns it into its
 * provider's wire shape (an acquirer CSV row, a Midtrans report record, a Xendit transaction, a
 * Wise statement line). Amounts are positive minor units; `kind` says which way money moved.
 */
export interface ReportEntry {
  /** The merchant's id as the provider echoes it (order_id, partnerReferenceNo, external_id). */
  paymentId: string;
  /** The provider's own id of the transaction. */
  reference: string;
  kind: "payment" | "refund" | "reversal";
  currency: string;
  gross: bigint;
  /** The provider's fee (MDR, Xendit fee, Wise fee). */
  fee: bigint;
  /** Tax on the fee (PPN 11% in Indonesia); 0 where the provider itemizes none. */
  vat: bigint;
  /** When the provider settled or booked it; decides the business date. */
  at: Date;
  /**
   * The line's gross amount is written the way broken exports write it ("150.000,00", Indonesian
   * digit grouping): an adapter must report the line unreadable, not guess.
   */
  garbled?: boolean;
}

/** What a simulator knows about one transaction it processed that day. */
export interface ReportCandidate extends Omit<ReportEntry, "fee" | "vat" | "kind"> {
  /** True when the provider would settle it (paid, completed); false for failed/expired ones. */
  settled: boolean;
  /** A refund or reversal the simulator really made. @default "payment" */
  kind?: ReportEntry["kind"];
  /** The fee the provider really charged, when it is the transaction's own (a Wise quote's). @default the pricing's */
  fee?: bigint;
  vat?: bigint;
}

/** A provider's price for settling `gross`: its fee and the tax on the fee. */
export type Pricing = (gross: bigint, currency: string) => { fee: bigint; vat: bigint };

/** The discrepancy classes a reconciler must find; see {@link applyDiscrepancies}. */
export const DISCREPANCY_CLASSES = [
  "missing-line",
  "extra-line",
  "amount-changed",
  "currency-changed",
  "status-mismatch",
  "fee-changed",
  "duplicate-line",
  "refund-without-record",
  "reversal-without-record",
  "batch-total-wrong",
  "unreadable-line",
] as const;
export type DiscrepancyClass = (typeof DISCREPANCY_CLASSES)[number];

/** One injected discrepancy. `target` is a payment id or provider reference of that day. */
export interface Discrepancy {
  class: DiscrepancyClass;
  target?: string;
  /** amount-changed, fee-changed, batch-total-wrong: minor units added. @default 10000 */
  delta?: bigint;
  /** extra-line, refund/reversal-without-record: the line's gross. @default the target's, or 1000000 */
  amount?: bigint;
  /** currency-changed. @default "USD" */
  currency?: string;
}

const TARGETED: ReadonlySet<DiscrepancyClass> = new Set([
  "missing-line",
  "amount-changed",
  "currency-changed",
  "status-mismatch",
  "fee-changed",
  "duplicate-line",
  "refund-without-record",
  "reversal-without-record",
  "unreadable-line",
]);

/**
 * Reads `POST /sim/settlement-report`'s `discrepancies` list, checking every target against what the
 * simulator processed that day (`candidates`), so a typo fails the test that made it instead of
 * injecting nothing. A status mismatch must target a transaction that did not settle.
 */
export function parseDiscrepancies(raw: unknown, candidates: readonly ReportCandidate[]): Discrepancy[] {
  if (!Array.isArray(raw)) throw new ControlError(400, "discrepancies must be a list");
  return raw.map((item: unknown, index) => {
    const at = `discrepancies[${index}]`;
    if (typeof item !== "object" || item === null) throw new ControlError(400, `${at} must be an object`);
    const spec = item as Record<string, unknown>;
    const kind = spec.class;
    if (typeof kind !== "string" || !(DISCREPANCY_CLASSES as readonly string[]).includes(kind)) {
      throw new ControlError(400, `${at}.class must be one of ${DISCREPANCY_CLASSES.join(", ")}`);
    }
    const discrepancy: Discrepancy = { class: kind as DiscrepancyClass };
    if (TARGETED.has(discrepancy.class)) {
      const target = candidates.find((c) => c.paymentId === spec.target || c.reference === spec.target);
      if (target === undefined) {
        throw new ControlError(400, `${at}.target must name a transaction of that day`);
      }
      if ((discrepancy.class === "status-mismatch") === target.settled) {
        const why = discrepancy.class === "status-mismatch" ? "did not settle" : "settled";
        throw new ControlError(400, `${at}.target must name a transaction that ${why}`);
      }
      discrepancy.target = target.reference;
    }
    for (const name of ["delta", "amount"] as const) {
      const value = spec[name];
      if (value === undefined) continue;
      if (typeof value !== "number" || !Number.isSafeInteger(value) || (name === "amount" && value <= 0)) {
        throw new ControlError(400, `${at}.${name} must be an integer of minor units`);
      }
      discrepancy[name] = BigInt(value);
    }
    if (spec.currency !== undefined) {
      if (typeof spec.currency !== "string" || !/^[A-Z]{3}$/.test(spec.currency)) {
        throw new ControlError(400, `${at}.currency must be an ISO 4217 code`);
      }
      discrepancy.currency = spec.currency;
    }
    return discrepancy;
  });
}

/** A day's report: its lines in order, and how far its declared totals are off. */
export interface DayReport {
  entries: ReportEntry[];
  /** Added to the declared gross and net totals (batch-total-wrong). */
  totalError: bigint;
}

/**
 * The report of a day from what the simulator processed, with the injected discrepancies applied,
 * each exactly once: a missing line is dropped; an extra line is a payment nobody asked for; an
 * amount, currency or fee change alters only that field (the fee stays the original amount's, so
 * each change is one difference); a status mismatch settles a transaction that failed or expired;
 * a duplicate repeats the line; a refund or reversal with no record is booked against a settled
 * payment; a wrong batch total skews the declared totals, not the lines; an unreadable line has
 * its gross amount written in a form no parser should accept.
 */
export function applyDiscrepancies(
  candidates: readonly ReportCandidate[],
  discrepancies: readonly Discrepancy[],
  context: { date: string; price: Pricing },
): DayReport {
  const of = (target: string | undefined) => discrepancies.filter((d) => d.target === target);
  const entries: ReportEntry[] = [];
  let totalError = 0n;
  for (const candidate of candidates) {
    const own = of(candidate.reference);
    const settleAnyway = own.some((d) => d.class === "status-mismatch");
    if (!candidate.settled && !settleAnyway) continue;
    const { settled: _settled, kind = "payment", fee, vat, ...fields } = candidate;
    const priced = context.price(fields.gross, fields.currency);
    const line: ReportEntry = { ...fields, kind, fee: fee ?? priced.fee, vat: vat ?? priced.vat };
    for (const d of own) {
      if (d.class === "amount-changed") line.gross += d.delta ?? 10_000n;
      if (d.class === "currency-changed") line.currency = d.currency ?? "USD";
      if (d.class === "fee-changed") line.fee += d.delta ?? 10_000n;
      if (d.class === "unreadable-line") line.garbled = true;
    }
    if (own.some((d) => d.class === "missing-line")) continue;
    entries.push(line);
    if (own.some((d) => d.class === "duplicate-line")) entries.push({ ...line });
    for (const d of own) {
      if (d.class !== "refund-without-record" && d.class !== "reversal-without-record") continue;
      const gross = d.amount ?? candidate.gross;
      const kind = d.class === "refund-without-record" ? "refund" : "reversal";
      const at = new Date(candidate.at.getTime() + 1_000);
      // About the same transaction, so under its reference: what has no record is the refund.
      entries.push({ ...line, kind, gross, fee: 0n, vat: 0n, at });
    }
  }
  discrepancies.forEach((d, index) => {
    if (d.class === "batch-total-wrong") totalError += d.delta ?? 10_000n;
    if (d.class !== "extra-line") return;
    const gross = d.amount ?? 1_000_000n;
    const at = new Date(`${context.date}T05:00:00Z`);
    const reference = `EXTRA${context.date.replaceAll("-", "")}${String(index).padStart(4, "0")}`;
    const currency = candidates[0]?.currency ?? "IDR";
    const price = context.price(gross, currency);
    entries.push({
      paymentId: `unknown-${reference}`,
      reference,
      kind: "payment",
      currency,
      gross,
      ...price,
      at,
    });
  });
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { entries, totalError };
}

/**
 * A report read by position, so a page of it costs the page, whatever the report's size: the
 * lines of a real day held by the simulator, or a synthesized report computed line by line.
 */
export interface ReportSource {
  readonly length: number;
  at(index: number): ReportEntry;
  /** The currency the provider settles in: the one its declared totals are in. */
  readonly currency: string;
  /** Added to the declared totals. */
  readonly totalError: bigint;
}

/** A day's report (small: what one simulator processed) as a {@link ReportSource}. */
export function dayReportSource(report: DayReport, currency: string): ReportSource {
  return {
    length: report.entries.length,
    at: (index) => report.entries[index] as ReportEntry,
    currency,
    totalError: report.totalError,
  };
}

/** How to synthesize a report for benchmarks. */
export interface Synthesis {
  lines: number;
  seed: number;
}

/** Most lines a synthesized report may have. */
export const MAX_SYNTHESIZED_LINES = 1_000_000;

/** Reads `synthesize: {lines, seed}` of `POST /sim/settlement-report`. */
export function parseSynthesis(raw: unknown): Synthesis {
  const spec = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const { lines, seed } = spec;
  if (typeof lines !== "number" || !Number.isInteger(lines) || lines < 1 || lines > MAX_SYNTHESIZED_LINES) {
    throw new ControlError(400, `synthesize.lines must be an integer from 1 to ${MAX_SYNTHESIZED_LINES}`);
  }
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0) {
    throw new ControlError(400, "synthesize.seed must be a non-negative integer");
  }
  return { lines, seed };
}

/**
 * The payment line `index` of a synthesized report: payment id `syn-<seed>-<index>`, a whole-rupiah
 * gross from Rp10.000 to Rp1.000.000 drawn from (seed, index), times spread evenly over the day.
 * Exported so a benchmark can create the payments the report settles.
 */
export function synthesizedEntry(
  synthesis: Synthesis,
  context: { dayStart: Date; currency: string; price: Pricing },
  index: number,
): ReportEntry {
  const gross = seededInteger(synthesis.seed, index, 10_000n, 1_000_000n) * 100n;
  const at = new Date(context.dayStart.getTime() + Math.floor((index * 86_400_000) / synthesis.lines));
  return {
    paymentId: `syn-${synthesis.seed}-${index}`,
    reference: `SYN${synthesis.seed}X${String(index).padStart(7, "0")}`,
    kind: "payment",
    currency: context.currency,
    gross,
    ...context.price(gross, context.currency),
    at,
  };
}

/** A synthesized report as a {@link ReportSource}: nothing is built until a line is read. */
export function synthesizedSource(
  synthesis: Synthesis,
  context: { dayStart: Date; currency: string; price: Pricing },
): ReportSource {
  return {
    length: synthesis.lines,
    at: (index) => synthesizedEntry(synthesis, context, index),
    currency: context.currency,
    totalError: 0n,
  };
}

/** Which way each kind of line moves the merchant's balance in declared totals. */
const SIGN: Readonly<Record<ReportEntry["kind"], bigint>> = { payment: 1n, refund: -1n, reversal: -1n };

/**
 * A report's declared control totals (a file's trailer), computed line by line, never held, the
 * way payments.adapter.v1.SettlementBatch defines them: for the lines in the settlement currency
 * only (a line in another currency is not in that currency's payout), signed (a refund or
 * reversal takes its amount back out), net being what the provider pays out. A garbled line
 * counts like any other: the provider wrote its real amounts, only the export mangled them.
 */
export function reportTotals(source: ReportSource): { count: number; gross: bigint; net: bigint } {
  let count = 0;
  let gross = 0n;
  let net = 0n;
  for (let index = 0; index < source.length; index += 1) {
    const entry = source.at(index);
    if (entry.currency !== source.currency) continue;
    const sign = SIGN[entry.kind];
    count += 1;
    gross += sign * entry.gross;
    // Fees are charged whichever way the money moved (sandbox fees on a refund are 0).
    net += sign * entry.gross - entry.fee - entry.vat;
  }
  return { count, gross: gross + source.totalError, net: net + source.totalError };
}

/** One page of a report and the cursor of the next, if any. */
export interface ReportPage {
  entries: ReportEntry[];
  /** Offset of the next page, as text; undefined on the last page. */
  next: string | undefined;
}

/**
 * The page at `cursor` (an offset the previous page gave, or null for the first), at most `limit`
 * lines. Only the page's lines are computed. A cursor that is not an offset into the report is a
 * `badCursor` for the simulator to answer in its provider's error shape.
 */
export function reportPage(
  source: ReportSource,
  cursor: string | null,
  limit: number,
): ReportPage | "badCursor" {
  const start = cursor === null ? 0 : /^\d{1,9}$/.test(cursor) ? Number(cursor) : Number.NaN;
  if (!Number.isInteger(start) || start > source.length) return "badCursor";
  const end = Math.min(source.length, start + limit);
  const entries: ReportEntry[] = [];
  for (let index = start; index < end; index += 1) entries.push(source.at(index));
  return { entries, next: end < source.length ? String(end) : undefined };
}

/**
 * The positions of lines booked in [from, to), for reports read by time window (Wise statements):
 * a binary search, since every source is in time order.
 */
export function timeWindow(source: ReportSource, from: Date, to: Date): { start: number; end: number } {
  const firstAtOrAfter = (instant: number) => {
    let low = 0;
    let high = source.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (source.at(middle).at.getTime() < instant) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return { start: firstAtOrAfter(from.getTime()), end: firstAtOrAfter(to.getTime()) };
}

/**
 * "150.000,00": an amount the way a spreadsheet export in an Indonesian locale writes it, dots
 * grouping thousands and a comma before the cents. What a simulator writes for a garbled line.
 */
export function indonesianFormatted(minorUnits: bigint): string {
  const whole = (minorUnits / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${whole},${String(minorUnits % 100n).padStart(2, "0")}`;
}
