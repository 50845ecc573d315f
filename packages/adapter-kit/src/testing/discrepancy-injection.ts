/**
 * The transactions of one day that a test injects every discrepancy class into, one class each,
 * named by payment id or provider reference (a simulator takes either).
 */
export interface DiscrepancyTargets {
  /** Left out of the report. */
  missing: string;
  /** Reported with a larger gross. */
  amount: string;
  /** Reported in USD. */
  currency: string;
  /** Charged a larger fee. */
  fee: string;
  /** Reported twice. */
  duplicate: string;
  /** Followed by a refund Paymesh has no record of. */
  refunded: string;
  /** Followed by a reversal (or chargeback) Paymesh has no record of. */
  reversed: string;
  /** Reported with a gross the adapter cannot read. */
  garbled: string;
  /** Never settled (expired, cancelled, failed), yet reported as settled. */
  unsettled: string;
}

const SETTLED = [
  "missing",
  "amount",
  "currency",
  "fee",
  "duplicate",
  "refunded",
  "reversed",
  "garbled",
] as const;

/**
 * Makes the targets: `settled(n)` for n = 0 to 7, one at a time and in the order of
 * {@link DiscrepancyTargets} (a report lists its transactions in time order), then `unsettled()`.
 * Each returns the id the discrepancy will name.
 */
export async function makeDiscrepancyTargets(
  settled: (n: number) => Promise<string>,
  unsettled: () => Promise<string>,
): Promise<DiscrepancyTargets> {
  const made: Partial<DiscrepancyTargets> = {};
  for (const [n, name] of SETTLED.entries()) made[name] = await settled(n);
  return { ...(made as Omit<DiscrepancyTargets, "unsettled">), unsettled: await unsettled() };
}

/**
 * `POST /sim/settlement-report`'s `discrepancies`: every class a simulator injects, once, on
 * `targets`; with `batchTotals`, a trailer 700 minor units over too (only reports that declare
 * totals have one to get wrong). An extra line of 5,000,000, an amount 100,000 over, a fee 50,000
 * over.
 */
export function everyDiscrepancy(targets: DiscrepancyTargets, options: { batchTotals: boolean }): unknown[] {
  return [
    { class: "missing-line", target: targets.missing },
    { class: "extra-line", amount: 5_000_000 },
    { class: "amount-changed", target: targets.amount, delta: 100_000 },
    { class: "currency-changed", target: targets.currency, currency: "USD" },
    { class: "status-mismatch", target: targets.unsettled },
    { class: "fee-changed", target: targets.fee, delta: 50_000 },
    { class: "duplicate-line", target: targets.duplicate },
    { class: "refund-without-record", target: targets.refunded },
    { class: "reversal-without-record", target: targets.reversed },
    ...(options.batchTotals ? [{ class: "batch-total-wrong", delta: 700 }] : []),
    { class: "unreadable-line", target: targets.garbled },
  ];
}
