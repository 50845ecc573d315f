import {
  checkBusinessDate,
  GrpcCode,
  isProviderTransportError,
  outcomeError,
  PaymeshError,
  pageThrough,
  readLine,
  reportAmount,
  reportText,
  type SettlementItem,
  transportFailure,
  UnreadableLine,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason } from "@paymesh/proto";
import { maskFileRowPans, type SnapQrClient } from "./snap-client.ts";
import { snapOutcome } from "./snap-error-map.ts";

const { FeeKind, SettlementType } = adapterv1;
const WIB_OFFSET_MS = 7 * 3_600_000;
const REPORT = { provider: "SNAP", what: "settlement file", readOnly: true };

/** TRANSACTION_TYPE words of an acquirer's QRIS settlement file. */
const TYPES: Readonly<Record<string, adapterv1.SettlementType>> = {
  PAYMENT: SettlementType.PAYMENT,
  SALE: SettlementType.PAYMENT,
  REFUND: SettlementType.REFUND,
  REVERSAL: SettlementType.REVERSAL,
  CHARGEBACK: SettlementType.CHARGEBACK,
  ADJUSTMENT: SettlementType.ADJUSTMENT,
};

/** The columns the reader needs; others (MERCHANT_ID, SETTLE_DATE, CUSTOMER_PAN) pass through in raw_line. */
const NEEDED = [
  "BATCH_ID",
  "TRANSACTION_ID",
  "PARTNER_REFERENCE_NO",
  "TRANSACTION_TYPE",
  "TRANSACTION_DATE",
  "CURRENCY",
  "AMOUNT",
  "MDR",
  "VAT",
  "NET_AMOUNT",
  "STATUS",
] as const;
type Column = (typeof NEEDED)[number] | "WHT";

/**
 * ListSettlements over the acquirer's QRIS settlement file for a WIB business day (transactions
 * from 00:00 to 24:00 WIB, delivered T+1), a piece at a time (see sandbox/README.md for the file
 * and how the simulator serves it): one line per CSV row, columns found by the header's names, the
 * MDR and the PPN on it itemized, the payer's PAN masked in raw_line; the trailer's control totals
 * after the last line.
 */
export async function* listQrisSettlements(
  client: SnapQrClient,
  date: string,
  signal: AbortSignal,
): AsyncGenerator<SettlementItem> {
  checkBusinessDate(date);
  yield* pageThrough(async (offset) => {
    const answer = await client.listSettlements({ date, offset, signal }).catch((error: unknown) => {
      throw isProviderTransportError(error) ? transportFailure(error, REPORT) : error;
    });
    if (!answer.ok) {
      const outcome = snapOutcome(answer.responseCode);
      const said = { ...REPORT, providerCode: answer.responseCode, providerMessage: answer.responseMessage };
      if (outcome.kind === "refused") throw outcomeError(outcome, said);
      throw outcomeError({ kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }, said);
    }
    const { header, lines, nextOffset, trailer } = answer.body;
    const columns = columnsOf(header);
    const width = header.split(",").length;
    const settlements = lines.map((row) => {
      const cells = row.split(",");
      const batchId = cells[columns.BATCH_ID] ?? "";
      return readLine({ businessDate: date, batchId, rawLine: maskFileRowPans(row) }, () =>
        lineFacts(cells, columns, date, width),
      );
    });
    const messages: SettlementItem[] = [{ settlements }];
    if (nextOffset === undefined && trailer !== undefined) {
      messages.push({ batch: trailerTotals(trailer, answer.body.fileName, date, lines, columns) });
    }
    return { messages, next: nextOffset };
  });
}

/** Where each needed column is; a header without one makes the whole file unreadable. */
function columnsOf(header: string): Record<Column, number> {
  const names = header.split(",");
  const at = (name: string) => names.indexOf(name);
  const missing = NEEDED.filter((name) => at(name) < 0);
  if (missing.length > 0) {
    const why = `the settlement file's header lacks ${missing.join(", ")}`;
    throw new PaymeshError(ErrorReason.PROVIDER_ERROR, why, { code: GrpcCode.UNAVAILABLE });
  }
  return Object.fromEntries([...NEEDED, "WHT"].map((name) => [name, at(name)])) as Record<Column, number>;
}

function lineFacts(cells: readonly string[], columns: Record<Column, number>, date: string, width: number) {
  // An unquoted comma in a value (an amount written "17.000,00") shifts every later column.
  if (cells.length !== width)
    throw new UnreadableLine(`the row has ${cells.length} cells, the header ${width}`);
  const cell = (name: Column) => (columns[name] < 0 ? undefined : cells[columns[name]]);
  const typeWord = reportText("TRANSACTION_TYPE", cell("TRANSACTION_TYPE"));
  const type = TYPES[typeWord];
  if (type === undefined)
    throw new UnreadableLine(`TRANSACTION_TYPE "${typeWord}" is not one the reader knows`);
  const currency = reportText("CURRENCY", cell("CURRENCY"));
  const minor = (name: Column) => {
    const text = reportText(name, cell(name));
    if (!/^\d+$/.test(text)) throw new UnreadableLine(`${name} "${text}" is not an amount in minor units`);
    // Checked against the currency's exponent, so an unknown currency is unreadable too.
    reportAmount(name, "0", currency);
    return BigInt(text);
  };
  const fees = [
    { kind: FeeKind.PROVIDER_FEE, amount: minor("MDR"), description: "MDR" },
    { kind: FeeKind.TAX, amount: minor("VAT"), description: "PPN 11% on MDR" },
  ];
  const wht = cell("WHT");
  if (wht !== undefined && wht !== "" && wht !== "0") {
    fees.push({ kind: FeeKind.WITHHOLDING_TAX, amount: minor("WHT"), description: "PPh on MDR" });
  }
  const settledAt = wibTime(reportText("TRANSACTION_DATE", cell("TRANSACTION_DATE")));
  const day = new Date(settledAt.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
  if (day !== date)
    throw new UnreadableLine(`transaction on ${day}, after the file's 00:00 WIB cut-off for ${date}`);
  return {
    paymentId: cell("PARTNER_REFERENCE_NO") ?? "",
    providerReference: reportText("TRANSACTION_ID", cell("TRANSACTION_ID")),
    type,
    currency,
    gross: minor("AMOUNT"),
    fees,
    net: minor("NET_AMOUNT"),
    settledAt,
    providerStatus: reportText("STATUS", cell("STATUS")),
  };
}

/** "20240305 10:00:00" in WIB, the file's TRANSACTION_DATE. */
function wibTime(text: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const [, y, mo, d, h, mi, s] = match ?? [];
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (match === null || Number.isNaN(local))
    throw new UnreadableLine(`TRANSACTION_DATE "${text}" is not a WIB time`);
  return new Date(local - WIB_OFFSET_MS);
}

/**
 * The trailer row `T,<lines>,<gross>,<net>`, in rupiah (the only currency QRIS settles): signed
 * totals of what the file pays out, so either may be negative on a day of more refunds than
 * sales. One that cannot be read makes the file unusable.
 */
function trailerTotals(
  trailer: string,
  fileName: string,
  date: string,
  lines: readonly string[],
  columns: Record<Column, number>,
) {
  const match = /^T,(\d+),(-?\d+),(-?\d+)$/.exec(trailer);
  if (match === null) {
    const why = `the settlement file ${fileName} ends with an unreadable trailer`;
    throw new PaymeshError(ErrorReason.PROVIDER_ERROR, why, { code: GrpcCode.UNAVAILABLE });
  }
  const batchId = lines.at(-1)?.split(",")[columns.BATCH_ID] ?? fileName;
  return {
    batchId,
    businessDate: date,
    lineCount: BigInt(match[1] ?? "0"),
    rawLine: trailer,
    grossTotal: { currency: "IDR", minorUnits: BigInt(match[2] ?? "0") },
    netTotal: { currency: "IDR", minorUnits: BigInt(match[3] ?? "0") },
  };
}
