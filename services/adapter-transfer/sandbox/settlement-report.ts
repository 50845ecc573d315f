import {
  createSettlementReportControls,
  indonesianFormatted,
  type ReportEntry,
  type SettlementReportControls,
} from "@paymesh/sandbox-kit";
import { SIM_FEE } from "./disbursement-rules.ts";
import type { SimState } from "./sim-state.ts";

const WIB_OFFSET_MS = 7 * 3_600_000;

/** The WIB business day an instant falls on, "YYYY-MM-DD". */
export function wibDay(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The simulator's Xendit transactions report per WIB business day: every disbursement that reached
 * COMPLETED or FAILED that day, the completed ones settled with Xendit's flat fee and its VAT.
 */
export function createTransferSettlementReport(state: SimState): SettlementReportControls {
  return createSettlementReportControls({
    candidates: (date) =>
      state.disbursements
        .list()
        .filter((d) => (d.status === "COMPLETED" || d.status === "FAILED") && wibDay(d.updated) === date)
        .map((d) => ({
          paymentId: d.externalId,
          reference: d.id,
          currency: "IDR",
          gross: BigInt(d.amount) * 100n,
          at: d.updated,
          settled: d.status === "COMPLETED",
        }))
        .sort((a, b) => a.at.getTime() - b.at.getTime()),
    price: () => ({ fee: BigInt(SIM_FEE.xenditFee) * 100n, vat: BigInt(SIM_FEE.valueAddedTax) * 100n }),
    dayStart: (date) => new Date(`${date}T00:00:00+07:00`),
    currency: "IDR",
    // The transactions API has no trailer or batch total.
    declaresTotals: false,
  });
}

/** Whole rupiah as Xendit writes IDR amounts: a JSON number. */
const whole = (minorUnits: bigint) => Number(minorUnits / 100n);

/**
 * A report line as a Xendit transaction (Transactions API object: `id`, `product_id`, `type`,
 * `status`, `settlement_status`, `reference_id`, `amount`, `net_amount`, `cashflow`, and `fee`
 * split into `xendit_fee`, `value_added_tax`, `xendit_withholding_tax`,
 * `third_party_withholding_tax`). `id` is the ledger entry, `txn_<day>_<position>`, so a duplicated
 * line has its own id, as a second ledger entry would.
 */
export function transactionOfEntry(
  entry: ReportEntry,
  date: string,
  position: number,
): Record<string, unknown> {
  const type = entry.kind === "refund" ? "REFUND" : "DISBURSEMENT";
  return {
    id: `txn_${date.replaceAll("-", "")}_${position}`,
    product_id: entry.reference,
    type,
    status: entry.kind === "reversal" ? "REVERSED" : "SUCCESS",
    settlement_status: "SETTLED",
    channel_category: "BANK",
    reference_id: entry.paymentId,
    currency: entry.currency,
    amount: entry.garbled === true ? indonesianFormatted(entry.gross) : whole(entry.gross),
    net_amount: whole(entry.gross - entry.fee - entry.vat),
    cashflow: type === "DISBURSEMENT" && entry.kind === "payment" ? "MONEY_OUT" : "MONEY_IN",
    fee: {
      xendit_fee: whole(entry.fee),
      value_added_tax: whole(entry.vat),
      xendit_withholding_tax: 0,
      third_party_withholding_tax: 0,
      status: "COMPLETED",
    },
    created: entry.at.toISOString(),
    updated: entry.at.toISOString(),
  };
}

/** The position a day-report `after_id` points at, or undefined when it is not one of that day's. */
export function positionOf(afterId: string, date: string): number | undefined {
  const match = /^txn_(\d{8})_(\d{1,9})$/.exec(afterId);
  return match?.[1] === date.replaceAll("-", "") ? Number(match[2]) : undefined;
}
