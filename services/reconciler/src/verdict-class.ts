/**
 * Every verdict the engine gives, one per report line and one per payment of the day no line
 * covered. Each is a discrepancy a person decides on, except `matched` and a `missing_at_provider`
 * still inside the adapter's settlement lag (recorded with discrepancy = false: expected).
 */
export const VERDICT_CLASSES = [
  /** Line and payment agree (or the payment was settled in the neighbouring day's report). */
  "matched",
  /** A settled payment line for which we have no payment. */
  "missing_internal",
  /** We say SUCCEEDED and no line settles it. */
  "missing_at_provider",
  "amount_mismatch",
  "currency_mismatch",
  /** Settled, but we say FAILED, CANCELED, EXPIRED or still pending. */
  "status_mismatch",
  /** The provider charged other than its declared fee schedule. */
  "fee_mismatch",
  /** A second line settling the same payment in one report. */
  "duplicate_settlement",
  /** A refund, reversal or chargeback: Paymesh records none, so a person confirms each. */
  "unrecorded_refund",
  /** A provider's standalone fee or manual adjustment, tied to no payment of ours. */
  "adjustment",
  /** A batch's stated totals differ from the sum of its lines. */
  "batch_total_mismatch",
  /** A line that could not be read, with the reason. */
  "unreadable",
] as const;

/** One of VERDICT_CLASSES. */
export type VerdictClass = (typeof VERDICT_CLASSES)[number];

/** True when `value` names a verdict class (rows read back from the store are checked with it). */
export function isVerdictClass(value: string): value is VerdictClass {
  return (VERDICT_CLASSES as readonly string[]).includes(value);
}
