/**
 * What a settlement line says moved: a customer's payment, money given back (refund, reversal,
 * chargeback), or the provider's own entries (a standalone fee, a manual adjustment).
 */
export type TransactionType = "payment" | "refund" | "reversal" | "chargeback" | "adjustment" | "fee";

/** Every TransactionType, for checks and tests. */
export const TRANSACTION_TYPES: readonly TransactionType[] = [
  "payment",
  "refund",
  "reversal",
  "chargeback",
  "adjustment",
  "fee",
];

/**
 * One settled transaction of a provider's report, normalized. Amounts are minor units, signed as
 * they move the merchant's balance: a payment's gross is positive, a refund's negative; fees are
 * what the provider charged (positive) and net = gross - providerFee - tax.
 */
export interface SettledTransaction {
  kind: "transaction";
  type: TransactionType;
  /** Our payment id, when the provider echoes it (order id, external id). */
  paymentId?: string;
  /** The provider's id of the transaction, as our payments record it in provider_reference. */
  providerReference: string;
  gross: bigint;
  /** The provider's fee (MDR, per-transaction fee), without tax. */
  providerFee: bigint;
  /** Tax charged on the fee (VAT 11% in Indonesia). */
  tax: bigint;
  net: bigint;
  /** ISO 4217. */
  currency: string;
  /** The provider's business day the line belongs to, "YYYY-MM-DD". */
  businessDate: string;
  settledAt: Date;
  /** The provider's batch, payout or report id; "" when it has none. */
  batchId: string;
  /** The provider's own status word, verbatim. */
  providerStatus: string;
  /** The line as the provider wrote it, account numbers and names already masked by the adapter. */
  rawLine: string;
}

/**
 * A batch's stated totals (a settlement file's trailer, a payout's summary): the engine checks
 * them against the sum of the batch's lines. Reaches the engine in the same stream as the lines,
 * where real reports carry it.
 */
export interface BatchTotal {
  kind: "batch_total";
  batchId: string;
  currency: string;
  /** Sum of the gross amounts of the batch's lines in `currency`, signed as on the lines. */
  gross: bigint;
  /** Sum of their net amounts, signed: what the provider paid out in `currency`. */
  net: bigint;
  /** How many lines in `currency` the batch says it has (unreadable ones included), when it says. */
  lineCount?: number;
  businessDate: string;
  rawLine: string;
}

/** A line the adapter could not make sense of (unparseable amount, cut-off record): kept with why. */
export interface UnreadableLine {
  kind: "unreadable";
  reason: string;
  rawLine: string;
  /**
   * The batch the line was written in, when that much could be read: the batch's declared line
   * count includes it, though its amounts cannot be summed.
   */
  batchId?: string;
}

/** One line of a settlement report as the engine consumes it. */
export type SettlementLine = SettledTransaction | BatchTotal | UnreadableLine;

/**
 * A provider's report for one business day, as the source presents it: who it says produced it,
 * which day it says it covers, and its lines in order. The engine refuses a report whose adapter
 * or day is not the run's before it reads a line.
 */
export interface SettlementReport {
  adapter: string;
  businessDate: string;
  lines: AsyncIterable<SettlementLine>;
  /**
   * How many lines the report says it holds, once it has said so (a file header's record count,
   * read with the first page); undefined while unknown. For progress only: nothing is judged by it.
   */
  expectedLines?: () => number | undefined;
}
