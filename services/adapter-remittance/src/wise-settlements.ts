import {
  checkBusinessDate,
  isRecord,
  type JsonRecord,
  maskedLinesOf,
  pageThrough,
  readLine,
  reportAmount,
  reportText,
  reportUnknownProviderValue,
  type SettlementItem,
  UnreadableLine,
} from "@paymesh/adapter-kit";
import { adapterv1 } from "@paymesh/proto";
import type { WiseClient } from "./wise-client.ts";
import { recorded, wiseError } from "./wise-error-map.ts";
import { wiseMasker } from "./wise-mask.ts";
import type { WiseBalance } from "./wise-wire.ts";

const { FeeKind, SettlementType } = adapterv1;
const DAY_MS = 86_400_000;

/** Options of {@link listWiseSettlements}. */
export interface WiseSettlementOptions {
  /** Source currencies whose balances are read. */
  currencies: readonly string[];
  /**
   * Length of each statement request. Wise's statement API has no paging, only an interval, so a
   * busy day is read as consecutive slices, one page each. @default 15 (96 requests per balance)
   */
  sliceMinutes?: number;
}

/**
 * ListSettlements from Wise balance statements: for each balance in a source currency, the
 * statement of one UTC day (Wise reports in UTC) read slice by slice, and of it the lines of
 * transfers: a DEBIT is the money that left for a funded transfer, with Wise's fee
 * (`totalFees`); a CREDIT is a transfer's money coming back (refunded, bounced). `referenceNumber`
 * "TRANSFER-<id>" is the transfer id, the payment's provider reference; statements do not name the
 * customerTransactionId, so `payment_id` stays empty and the reconciler matches by reference.
 * A statement declares no batch totals that could be checked against its lines, so none are sent.
 */
export async function* listWiseSettlements(
  client: WiseClient,
  request: adapterv1.ListSettlementsRequest,
  options: WiseSettlementOptions,
  signal: AbortSignal,
): AsyncGenerator<SettlementItem> {
  const date = checkBusinessDate(request.date);
  const dayStart = new Date(`${date}T00:00:00.000Z`).getTime();
  const sliceMs = (options.sliceMinutes ?? 15) * 60_000;
  const balances = await recorded([], () => client.listBalances(signal));
  if (!balances.ok) throw wiseError("listBalances", balances);
  const wanted = balances.body.filter((balance) => options.currencies.includes(balance.currency));
  for (const balance of wanted) {
    yield* pageThrough(async (cursor) => {
      const start = cursor === undefined ? dayStart : Number(cursor);
      const end = Math.min(start + sliceMs, dayStart + DAY_MS);
      const settlements = await statementSlice(client, balance, { date, start, end }, signal);
      return { messages: [{ settlements }], next: end < dayStart + DAY_MS ? String(end) : undefined };
    });
  }
}

async function statementSlice(
  client: WiseClient,
  balance: WiseBalance,
  slice: { date: string; start: number; end: number },
  signal: AbortSignal,
) {
  const intervalStart = new Date(slice.start).toISOString();
  const statement = await recorded([], () =>
    client.balanceStatement({
      balanceId: balance.id,
      currency: balance.currency,
      intervalStart,
      intervalEnd: new Date(slice.end).toISOString(),
      signal,
    }),
  );
  if (!statement.ok) throw wiseError("balanceStatement", statement);
  const lines = statement.body;
  const masked = maskedLinesOf(
    statement.exchange.responseBody,
    (body) => (isRecord(body) ? body.transactions : undefined),
    lines.length,
  );
  const batchId = `wise-statement-${balance.id}-${slice.date}`;
  return lines
    .map((line, index) => ({ line, rawLine: masked?.[index] ?? wiseMasker.maskBody(JSON.stringify(line)) }))
    .filter(({ line }) => transferLine(line))
    .map(({ line, rawLine }) =>
      readLine({ businessDate: slice.date, batchId, rawLine }, () => lineFacts(line, slice.date)),
    );
}

/** Only transfer lines are settlements of payments; conversions, deposits and card spending are not. */
function transferLine(line: JsonRecord): boolean {
  const details = isRecord(line.details) ? line.details : {};
  return details.type === "TRANSFER";
}

function lineFacts(line: JsonRecord, date: string) {
  // Statement lines are DEBIT or CREDIT (Wise API reference, "Balance statement").
  const type = reportText("type", line.type);
  if (type !== "DEBIT" && type !== "CREDIT") {
    reportUnknownProviderValue({ adapter: "adapter-remittance", field: "statement.type", value: type });
    throw new UnreadableLine(`type "${type}" is neither DEBIT nor CREDIT`);
  }
  const amount = isRecord(line.amount) ? line.amount : {};
  const currency = reportText("amount.currency", amount.currency);
  const signed = reportAmount("amount.value", amount.value, currency);
  const fees = [];
  if (isRecord(line.totalFees) && line.totalFees.value !== undefined) {
    const feeCurrency = reportText("totalFees.currency", line.totalFees.currency);
    if (feeCurrency !== currency)
      throw new UnreadableLine(`totalFees in ${feeCurrency}, amount in ${currency}`);
    const fee = reportAmount("totalFees.value", line.totalFees.value, currency);
    if (fee !== 0n)
      fees.push({ kind: FeeKind.PROVIDER_FEE, amount: fee, description: "Wise fee (totalFees)" });
  }
  const settledAt = new Date(reportText("date", line.date));
  if (Number.isNaN(settledAt.getTime())) throw new UnreadableLine("date is not a time");
  const day = settledAt.toISOString().slice(0, 10);
  if (day !== date) throw new UnreadableLine(`booked on ${day}, not the report's day ${date}`);
  const reference = reportText("referenceNumber", line.referenceNumber);
  return {
    paymentId: "",
    providerReference: reference.replace(/^TRANSFER-/, ""),
    type: type === "DEBIT" ? SettlementType.PAYMENT : SettlementType.REVERSAL,
    currency,
    gross: signed < 0n ? -signed : signed,
    fees,
    settledAt,
    providerStatus: type,
  };
}
