import {
  createSettlementReportControls,
  indonesianFormatted,
  type ReportEntry,
  type SettlementReportControls,
  seededInteger,
} from "@paymesh/sandbox-kit";
import type { SimState } from "./sim-state.ts";

const WIB_OFFSET_MS = 7 * 3_600_000;

/** "2024-03-05 10:00:00" and its day, in WIB: acquirer files are per WIB day, cut off at 00:00. */
function wib(instant: Date): { day: string; time: string } {
  const iso = new Date(instant.getTime() + WIB_OFFSET_MS).toISOString();
  return { day: iso.slice(0, 10), time: `${iso.slice(0, 10).replaceAll("-", "")} ${iso.slice(11, 19)}` };
}

/** The regular QRIS MDR (Bank Indonesia): 0.7% of the amount; UMI and public-body tiers are not modelled. */
export const MDR_PER_MILLE = 7n;
/** PPN on the MDR: 11%. */
export const VAT_PERCENT = 11n;

/** The MDR and the PPN on it, each rounded down to the rupiah, as acquirers' files show them. */
export function qrisPrice(gross: bigint): { fee: bigint; vat: bigint } {
  const fee = ((gross * MDR_PER_MILLE) / 1000n / 100n) * 100n;
  return { fee, vat: ((fee * VAT_PERCENT) / 100n / 100n) * 100n };
}

/**
 * The simulator's acquirer settlement file per WIB business day (transactions from 00:00 to 24:00
 * WIB, settled T+1): every QR paid that day, and every QR that expired or was cancelled that day
 * for a status mismatch to settle.
 */
export function createQrisSettlementReport(state: SimState): SettlementReportControls {
  return createSettlementReportControls({
    candidates: (date) =>
      state.payments
        .list()
        .map((payment) => {
          const ended =
            payment.paidAt ??
            payment.cancelledAt ??
            (payment.state === "expired" ? payment.validUntil : undefined);
          return { payment, ended };
        })
        .filter(({ ended }) => ended !== undefined && wib(ended).day === date)
        .map(({ payment, ended }) => ({
          paymentId: payment.partnerReferenceNo,
          reference: payment.referenceNo,
          currency: payment.currency,
          gross: payment.amountMinorUnits,
          at: ended as Date,
          settled: payment.paidAt !== undefined,
        }))
        .sort((a, b) => a.at.getTime() - b.at.getTime()),
    price: qrisPrice,
    dayStart: (date) => new Date(`${date}T00:00:00+07:00`),
    currency: "IDR",
    declaresTotals: true,
  });
}

/** The file's columns, in order (sandbox/README.md, "Settlement file"). */
export const QRIS_FILE_COLUMNS = [
  "BATCH_ID",
  "MERCHANT_ID",
  "TRANSACTION_ID",
  "PARTNER_REFERENCE_NO",
  "TRANSACTION_TYPE",
  "TRANSACTION_DATE",
  "SETTLE_DATE",
  "CURRENCY",
  "AMOUNT",
  "MDR",
  "VAT",
  "WHT",
  "NET_AMOUNT",
  "STATUS",
  "CUSTOMER_PAN",
] as const;

const TYPE_OF_KIND: Readonly<Record<ReportEntry["kind"], string>> = {
  payment: "PAYMENT",
  refund: "REFUND",
  reversal: "REVERSAL",
};

/** The batch id of a merchant's file for a day: one file per merchant id per day. */
export function batchIdOf(merchantId: string, date: string): string {
  return `${merchantId}-${date.replaceAll("-", "")}`;
}

/** The next calendar day: the file's settle date (T+1; weekends and holidays not modelled). */
function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replaceAll("-", "");
}

/**
 * One CSV row of the file. Amounts are minor units (sen), as acquirers' files write them. The
 * payer's PAN (issuer account, drawn from the reference so it is stable) is in the file, which is
 * why the adapter masks raw lines column by column.
 */
export function fileRow(entry: ReportEntry, batch: { merchantId: string; date: string }): string {
  const digits = Number(entry.reference.replace(/\D/g, "").slice(-9) || "0");
  const pan = `936000${seededInteger(1, digits, 1_000_000_000n, 4_294_967_295n)}`;
  const cells = [
    batchIdOf(batch.merchantId, batch.date),
    batch.merchantId,
    entry.reference,
    entry.paymentId,
    TYPE_OF_KIND[entry.kind],
    wib(entry.at).time,
    nextDay(batch.date),
    entry.currency,
    entry.garbled === true ? indonesianFormatted(entry.gross) : String(entry.gross),
    String(entry.fee),
    String(entry.vat),
    "0",
    String(entry.gross - entry.fee - entry.vat),
    "SUCCESS",
    pan,
  ];
  // No field holds a comma or a quote (ids, digits and words), so no quoting is needed.
  return cells.join(",");
}
