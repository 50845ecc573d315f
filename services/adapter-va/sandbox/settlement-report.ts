import {
  createSettlementReportControls,
  indonesianFormatted,
  type ReportCandidate,
  type ReportEntry,
  type SettlementReportControls,
} from "@paymesh/sandbox-kit";
import type { ResolvedSimulatorOptions } from "./options.ts";
import type { SimStatus, TransactionStore } from "./transaction-store.ts";
import { wibDate, wibDateTime } from "./wib-time.ts";

/** Statuses that end a charge on the day they are reached; only "settlement" pays the merchant. */
const FINAL: ReadonlySet<SimStatus> = new Set(["settlement", "expire", "cancel", "deny"]);

/** PPN on Midtrans's fee: 11% (UU HPP, from April 2022), rounded down to the rupiah. */
export const VAT_PERCENT = 11n;

/**
 * The simulator's Midtrans settlement report: every VA charge that reached a final status on the
 * WIB day, the settled ones paying the merchant gross minus the flat VA fee and PPN on it.
 */
export function createVaSettlementReport(
  options: ResolvedSimulatorOptions,
  transactions: TransactionStore,
): SettlementReportControls {
  return createSettlementReportControls({
    candidates: (date): ReportCandidate[] =>
      transactions
        .list()
        .filter((t) => FINAL.has(t.status) && wibDate(t.statusChangedAt) === date)
        .map((t) => ({
          paymentId: t.orderId,
          reference: t.transactionId,
          currency: "IDR",
          gross: t.grossAmount * 100n,
          at: t.statusChangedAt,
          settled: t.status === "settlement",
        }))
        .sort((a, b) => a.at.getTime() - b.at.getTime()),
    price: () => {
      const fee = options.feeMinorUnits;
      return { fee, vat: ((fee * VAT_PERCENT) / 100n / 100n) * 100n };
    },
    dayStart: (date) => new Date(`${date}T00:00:00+07:00`),
    currency: "IDR",
    declaresTotals: true,
  });
}

/** "4000.00" from 400000n minor units: Midtrans's report amounts. */
export function rupiahText(minorUnits: bigint): string {
  const sign = minorUnits < 0n ? "-" : "";
  const abs = minorUnits < 0n ? -minorUnits : minorUnits;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

const STATUS_OF_KIND: Readonly<Record<ReportEntry["kind"], string>> = {
  payment: "settlement",
  refund: "refund",
  reversal: "chargeback",
};

/**
 * One record as the report carries it: the columns of Midtrans's settlement report file
 * (*unconfirmed*: Midtrans publishes no report API; see sandbox/README.md).
 */
export function reportRecord(entry: ReportEntry): Record<string, string> {
  return {
    order_id: entry.paymentId,
    transaction_id: entry.reference,
    payment_type: "bank_transfer",
    transaction_status: STATUS_OF_KIND[entry.kind],
    currency: entry.currency,
    gross_amount: entry.garbled === true ? indonesianFormatted(entry.gross) : rupiahText(entry.gross),
    fee_amount: rupiahText(entry.fee),
    tax_amount: rupiahText(entry.vat),
    net_amount: rupiahText(entry.gross - entry.fee - entry.vat),
    settlement_time: wibDateTime(entry.at),
  };
}
