import {
  createSettlementReportControls,
  indonesianFormatted,
  type ReportCandidate,
  type ReportEntry,
  type SettlementReportControls,
} from "@paymesh/sandbox-kit";
import type { SimState } from "./sim-state.ts";
import { amountJson } from "./views.ts";

/** The UTC day an instant falls on: Wise statements are in UTC. */
const utcDay = (instant: Date) => instant.toISOString().slice(0, 10);

/**
 * The simulator's Wise balance statements, per UTC business day, as settlement reports: every
 * funded transfer is a DEBIT of its source amount with the quote's fee, every transfer refunded
 * to the balance a CREDIT; a transfer cancelled before funding that day is what a status mismatch
 * can settle.
 */
export function createRemittanceSettlementReport(state: SimState): SettlementReportControls {
  return createSettlementReportControls({
    candidates: (date) => {
      const booked: ReportCandidate[] = state.statement
        .filter((entry) => utcDay(entry.at) === date)
        .map((entry) => ({
          paymentId: "",
          reference: String(entry.transferId),
          currency: entry.currency,
          gross: entry.amountMinorUnits < 0n ? -entry.amountMinorUnits : entry.amountMinorUnits,
          at: entry.at,
          settled: true,
          kind: entry.type === "DEBIT" ? "payment" : "reversal",
          fee: entry.feeMinorUnits,
          vat: 0n,
        }));
      const neverFunded: ReportCandidate[] = [...state.transfers.values()]
        .filter((t) => t.fundedAt === undefined && t.state === "cancelled" && utcDay(t.createdAt) === date)
        .map((t) => ({
          paymentId: "",
          reference: String(t.id),
          currency: t.sourceCurrency,
          gross: t.sourceMinorUnits,
          at: t.createdAt,
          settled: false,
          fee: t.feeMinorUnits,
          vat: 0n,
        }));
      return [...booked, ...neverFunded].sort((a, b) => a.at.getTime() - b.at.getTime());
    },
    // Synthesized and extra lines: Wise's fee on IDR is a percentage; 0.5% is a stand-in.
    price: (gross) => ({ fee: gross / 200n, vat: 0n }),
    dayStart: (date) => new Date(`${date}T00:00:00Z`),
    currency: "IDR",
    // A statement declares balances, not totals of its lines.
    declaresTotals: false,
  });
}

/**
 * A report line as a Wise balance statement transaction (COMPACT). The description is the booked
 * one ("Sent money to <recipient>") when the simulator booked the line.
 */
export function statementLine(entry: ReportEntry, state: SimState): Record<string, unknown> {
  const debit = entry.kind === "payment";
  const booked = state.statement.find(
    (line) => String(line.transferId) === entry.reference && (line.type === "DEBIT") === debit,
  );
  const signed = debit ? -entry.gross : entry.gross;
  return {
    type: debit ? "DEBIT" : "CREDIT",
    date: entry.at.toISOString(),
    amount: {
      value:
        entry.garbled === true
          ? `${debit ? "-" : ""}${indonesianFormatted(entry.gross)}`
          : amountJson(signed, entry.currency),
      currency: entry.currency,
    },
    totalFees: { value: amountJson(entry.fee, entry.currency), currency: entry.currency },
    details: {
      type: "TRANSFER",
      description:
        booked?.description ??
        (debit ? "Sent money to a recipient" : "Refund of a transfer that could not be completed"),
    },
    exchangeDetails: null,
    referenceNumber: `TRANSFER-${entry.reference}`,
  };
}
