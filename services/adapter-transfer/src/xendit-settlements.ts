import {
  checkBusinessDate,
  currencyExponent,
  type HttpExchange,
  isProviderTransportError,
  isRecord,
  type JsonRecord,
  maskedLinesOf,
  outcomeError,
  pageThrough,
  readLine,
  reportText,
  reportUnknownProviderValue,
  type SettlementItem,
  transportFailure,
  UnreadableLine,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason } from "@paymesh/proto";
import { type XenditDisbursementClient, xenditMasker } from "./xendit-client.ts";
import { xenditErrorOutcome } from "./xendit-error-map.ts";

const { FeeKind, SettlementType } = adapterv1;
const REPORT = { provider: "Xendit", what: "settlement report", readOnly: true };
const DAY_MS = 86_400_000;
const WIB_OFFSET_MS = 7 * 3_600_000;

/**
 * The statuses that are settlements: SUCCESS (money moved) and REVERSED (moved back after
 * settling). PENDING and FAILED moved nothing; VOIDED was cancelled before settling.
 */
const SETTLED_STATUSES = ["SUCCESS", "REVERSED"];
/** Transaction statuses Xendit documents (*unconfirmed* list, see sandbox/README.md). */
const KNOWN_STATUSES: ReadonlySet<string> = new Set(["SUCCESS", "PENDING", "FAILED", "VOIDED", "REVERSED"]);

/** Fee parts of a Xendit transaction's `fee` object, in the order the line lists them. */
const FEE_PARTS = [
  { key: "xendit_fee", kind: FeeKind.PROVIDER_FEE },
  { key: "value_added_tax", kind: FeeKind.TAX },
  { key: "xendit_withholding_tax", kind: FeeKind.WITHHOLDING_TAX },
  { key: "third_party_withholding_tax", kind: FeeKind.WITHHOLDING_TAX },
] as const;

/**
 * ListSettlements from Xendit's transactions report: the disbursements and refunds that settled
 * or were reversed on one Jakarta (+07:00) business day (`GET /transactions`, updated within the
 * day), page by page with the `after_id` cursor. Xendit declares no batch totals here, so no
 * batch message is sent.
 */
export async function* listXenditSettlements(
  client: XenditDisbursementClient,
  input: { date: string; signal: AbortSignal },
  onExchange?: (exchange: HttpExchange) => void,
): AsyncGenerator<SettlementItem> {
  const date = checkBusinessDate(input.date);
  const from = new Date(`${date}T00:00:00+07:00`);
  const to = new Date(from.getTime() + DAY_MS - 1);
  const batchId = `xendit-transactions-${date}`;
  yield* pageThrough(async (cursor) => {
    const query = { from, to, statuses: SETTLED_STATUSES, signal: input.signal };
    const answer = await client
      .listTransactions({ ...query, ...(cursor === undefined ? {} : { afterId: cursor }) })
      .catch((error: unknown) => {
        if (!isProviderTransportError(error)) throw error;
        for (const exchange of error.exchanges) onExchange?.(exchange);
        throw transportFailure(error, REPORT);
      });
    for (const exchange of answer.exchanges) onExchange?.(exchange);
    if (!answer.ok) {
      const outcome = xenditErrorOutcome(answer.errorCode, answer.httpStatus);
      const said = { ...REPORT, providerCode: answer.errorCode, providerMessage: answer.message };
      if (outcome.kind === "refused") throw outcomeError(outcome, said);
      throw outcomeError({ kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }, said);
    }
    const { data, hasMore, lastId } = answer.body;
    const masked = maskedLinesOf(
      answer.exchange.responseBody,
      (body) => (isRecord(body) ? body.data : undefined),
      data.length,
    );
    const settlements = data.map((transaction, index) => {
      const rawLine = masked?.[index] ?? xenditMasker.maskBody(JSON.stringify(transaction));
      return readLine({ businessDate: date, batchId, rawLine }, () => lineFacts(transaction, date));
    });
    return { messages: [{ settlements }], next: hasMore ? lastId : undefined };
  });
}

function lineFacts(transaction: JsonRecord, date: string) {
  const status = reportText("status", transaction.status);
  if (!KNOWN_STATUSES.has(status)) {
    reportUnknownProviderValue({
      adapter: "adapter-transfer",
      field: "transactions.status",
      value: status,
      paymentId: typeof transaction.reference_id === "string" ? transaction.reference_id : "",
    });
  }
  const kind = reportText("type", transaction.type);
  const type =
    status === "REVERSED"
      ? SettlementType.REVERSAL
      : kind === "REFUND"
        ? SettlementType.REFUND
        : SettlementType.PAYMENT;
  const currency = reportText("currency", transaction.currency);
  const amount = (field: string, value: unknown) => whole(field, value, currency);
  const fee = isRecord(transaction.fee) ? transaction.fee : {};
  const fees = FEE_PARTS.filter((part) => fee[part.key] !== undefined && fee[part.key] !== 0).map((part) => ({
    kind: part.kind,
    amount: amount(`fee.${part.key}`, fee[part.key]),
    description: part.key,
  }));
  const updated = new Date(reportText("updated", transaction.updated));
  if (Number.isNaN(updated.getTime())) throw new UnreadableLine("updated is not a time");
  const day = new Date(updated.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
  if (day !== date) throw new UnreadableLine(`updated on ${day}, not the report's day ${date}`);
  return {
    paymentId: typeof transaction.reference_id === "string" ? transaction.reference_id : "",
    providerReference: reportText("product_id", transaction.product_id),
    type,
    currency,
    gross: amount("amount", transaction.amount),
    fees,
    net: transaction.net_amount === undefined ? undefined : amount("net_amount", transaction.net_amount),
    settledAt: updated,
    providerStatus: status,
  };
}

/** Xendit writes amounts as JSON numbers of whole currency units (IDR has no cents there). */
function whole(field: string, value: unknown, currency: string): bigint {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new UnreadableLine(`unknown currency "${currency}"`);
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new UnreadableLine(`${field} ${JSON.stringify(value)} is not a whole amount in ${currency}`);
  }
  return BigInt(value) * 10n ** BigInt(exponent);
}
