import {
  checkBusinessDate,
  GrpcCode,
  isRecord,
  type JsonRecord,
  maskedLinesOf,
  outcomeError,
  PaymeshError,
  pageThrough,
  readLine,
  recordedCall,
  reportAmount,
  reportText,
  type SettlementItem,
  transportFailure,
  UnreadableLine,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason } from "@paymesh/proto";
import { type MidtransClient, midtransMasker } from "./midtrans-client.ts";
import { midtransCall, midtransOutcome } from "./midtrans-error-map.ts";
import { parseAnswerTime } from "./midtrans-time.ts";

const { FeeKind, SettlementType } = adapterv1;

/**
 * `transaction_status` words of a settlement report line and what each records. A VA is never
 * reversed by Midtrans; money taken back after settlement shows as a chargeback.
 */
const TYPES: Readonly<Record<string, adapterv1.SettlementType>> = {
  settlement: SettlementType.PAYMENT,
  refund: SettlementType.REFUND,
  partial_refund: SettlementType.REFUND,
  chargeback: SettlementType.CHARGEBACK,
  partial_chargeback: SettlementType.CHARGEBACK,
};

const WIB_OFFSET_MS = 7 * 3_600_000;
const REPORT = "settlement report";

/**
 * ListSettlements over Midtrans's settlement report for a WIB business day, page by page
 * (`GET /v2/settlements?date=&cursor=`, the simulator's JSON form of the report file; see
 * README.md): one line per record, unreadable records marked, the trailer's control totals last;
 * the first message says how many records the report holds.
 */
export async function* listMidtransSettlements(
  client: MidtransClient,
  date: string,
  signal: AbortSignal,
): AsyncGenerator<SettlementItem> {
  checkBusinessDate(date);
  yield* pageThrough(async (cursor) => {
    const answer = await recordedCall(
      [],
      () => client.settlements(date, cursor, signal),
      (error) => transportFailure(error, { provider: "Midtrans", what: REPORT, readOnly: true }),
    );
    if (!answer.ok) {
      const outcome = midtransOutcome(answer);
      const call = { ...midtransCall(REPORT, answer), readOnly: true };
      if (outcome.kind === "refused") throw outcomeError(outcome, call);
      throw outcomeError({ kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }, call);
    }
    const { batchId, records, nextCursor, summary, totalCount } = answer.body;
    const masked = maskedLinesOf(
      answer.exchange.responseBody,
      (body) => (isRecord(body) ? body.settlements : undefined),
      records.length,
    );
    const settlements = records.map((record, index) => {
      const rawLine = masked?.[index] ?? midtransMasker.maskBody(JSON.stringify(record));
      return readLine({ businessDate: date, batchId, rawLine }, () => lineFacts(record, date));
    });
    // The first page says how large the report is: the reconciler's progress (never its verdicts).
    const expected =
      cursor === undefined && totalCount !== undefined ? { expectedLines: BigInt(totalCount) } : {};
    const messages: SettlementItem[] = [{ settlements, ...expected }];
    if (nextCursor === undefined && summary !== undefined) {
      messages.push({ batch: batchTotals(summary, batchId, date) });
    }
    return { messages, next: nextCursor };
  });
}

function lineFacts(record: JsonRecord, date: string) {
  const status = reportText("transaction_status", record.transaction_status);
  const type = TYPES[status];
  if (type === undefined) throw new UnreadableLine(`transaction_status "${status}" is not a settlement`);
  const currency = record.currency === undefined ? "IDR" : reportText("currency", record.currency);
  const settledAt = parseAnswerTime(
    typeof record.settlement_time === "string" ? record.settlement_time : undefined,
  );
  if (settledAt === undefined) throw new UnreadableLine("settlement_time is not a WIB time");
  const day = new Date(settledAt.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
  if (day !== date) throw new UnreadableLine(`settled on ${day}, not the report's day ${date}`);
  const fees = [
    {
      kind: FeeKind.PROVIDER_FEE,
      amount: reportAmount("fee_amount", record.fee_amount, currency),
      description: "Midtrans fee",
    },
  ];
  if (record.tax_amount !== undefined) {
    const amount = reportAmount("tax_amount", record.tax_amount, currency);
    fees.push({ kind: FeeKind.TAX, amount, description: "PPN 11%" });
  }
  return {
    paymentId: reportText("order_id", record.order_id),
    providerReference: reportText("transaction_id", record.transaction_id),
    type,
    currency,
    gross: reportAmount("gross_amount", record.gross_amount, currency),
    fees,
    net:
      record.net_amount === undefined ? undefined : reportAmount("net_amount", record.net_amount, currency),
    settledAt,
    providerStatus: status,
  };
}

/** The trailer's totals; a trailer that cannot be read makes the report unusable. */
function batchTotals(summary: JsonRecord, batchId: string, date: string) {
  try {
    const lineCount = BigInt(reportText("line_count", summary.line_count));
    return {
      batchId,
      businessDate: date,
      lineCount,
      rawLine: midtransMasker.maskBody(JSON.stringify(summary)),
      grossTotal: { currency: "IDR", minorUnits: reportAmount("gross_total", summary.gross_total, "IDR") },
      netTotal: { currency: "IDR", minorUnits: reportAmount("net_total", summary.net_total, "IDR") },
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new PaymeshError(ErrorReason.PROVIDER_ERROR, `Midtrans's settlement report trailer: ${why}`, {
      code: GrpcCode.UNAVAILABLE,
    });
  }
}
