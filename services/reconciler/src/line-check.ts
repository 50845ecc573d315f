import { type SettlementLine, TRANSACTION_TYPES, type UnreadableLine } from "./settlement-line.ts";

// Node ships the ISO 4217 list with its ICU data: no table of our own to keep current.
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));
const TYPES: ReadonlySet<string> = new Set(TRANSACTION_TYPES);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What checkLine made of a line: the line to load, and whether it was for another business day. */
export interface CheckedLine {
  line: SettlementLine;
  otherDay: boolean;
}

/** True for "YYYY-MM-DD" naming a real calendar day. */
export function isBusinessDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * The engine's own check of a line before it is loaded: a line an adapter normalized can still be
 * unusable (no reference to match on, an unknown currency, amounts that do not add up, another
 * day). Such a line is kept as unreadable with the reason, so the run completes and counts it.
 */
export function checkLine(line: SettlementLine, businessDate: string): CheckedLine {
  // A transaction line stays in its batch when unreadable: the batch's declared count includes it.
  const batchId = line.kind === "transaction" ? line.batchId : undefined;
  const problem = (reason: string, otherDay = false): CheckedLine => ({
    line: unreadable(reason, line.rawLine, batchId),
    otherDay,
  });
  switch (line.kind) {
    case "unreadable":
      return {
        line: line.reason === "" ? unreadable("unreadable", line.rawLine, line.batchId) : line,
        otherDay: false,
      };
    case "batch_total": {
      if (line.batchId === "") return problem("batch total without a batch id");
      if (!CURRENCIES.has(line.currency)) return problem(`unknown currency ${JSON.stringify(line.currency)}`);
      if (line.lineCount !== undefined && !(Number.isSafeInteger(line.lineCount) && line.lineCount >= 0))
        return problem(`line count ${line.lineCount} is not a count`);
      return line.businessDate === businessDate
        ? { line, otherDay: false }
        : problem(otherDayReason(line.businessDate, businessDate), true);
    }
    case "transaction": {
      if (!TYPES.has(line.type)) return problem(`unknown transaction type ${JSON.stringify(line.type)}`);
      if (line.providerReference === "" && (line.paymentId ?? "") === "")
        return problem("missing reference: neither a provider reference nor our payment id");
      if (!CURRENCIES.has(line.currency)) return problem(`unknown currency ${JSON.stringify(line.currency)}`);
      if (Number.isNaN(line.settledAt.getTime())) return problem("settled-at is not a valid time");
      if (line.net !== line.gross - line.providerFee - line.tax)
        return problem(
          `net ${line.net} is not gross ${line.gross} - fee ${line.providerFee} - tax ${line.tax}`,
        );
      if (line.type === "payment" && line.gross <= 0n)
        return problem(`a payment's gross ${line.gross} is not positive`);
      return line.businessDate === businessDate
        ? { line, otherDay: false }
        : problem(otherDayReason(line.businessDate, businessDate), true);
    }
  }
}

function otherDayReason(lineDate: string, businessDate: string): string {
  return `business date ${JSON.stringify(lineDate)} is not the run's ${businessDate}`;
}

function unreadable(reason: string, rawLine: string, batchId: string | undefined): UnreadableLine {
  return {
    kind: "unreadable",
    reason,
    rawLine,
    ...(batchId === undefined || batchId === "" ? {} : { batchId }),
  };
}
