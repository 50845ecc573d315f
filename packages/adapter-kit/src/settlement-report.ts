// How an adapter turns its provider's settlement report into ListSettlements lines: the paging
// loop, the fee arithmetic and the "could not read this line" marker live here once; each adapter
// supplies only its report's fields (services/adapter-*/src/*-settlements.ts).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { currencyExponent, parseDecimalAmount } from "./money.ts";
import type { SettlementItem } from "./payment-provider.ts";
import { GrpcCode, invalidField, PaymeshError } from "./paymesh-error.ts";

type SettlementInit = MessageInitShape<typeof adapterv1.SettlementSchema>;

/** A business date as the contract carries it: "YYYY-MM-DD", a real calendar day. */
export function checkBusinessDate(date: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : undefined;
  if (day === undefined || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
    throw invalidField("date", "must be a business date, YYYY-MM-DD");
  }
  return date;
}

/** Thrown by a line reader for a line it cannot read; {@link readLine} turns it into the marker. */
export class UnreadableLine extends Error {
  override readonly name = "UnreadableLine";
}

/** An amount field of a report line in minor units, or {@link UnreadableLine} naming the field. */
export function reportAmount(field: string, text: unknown, currency: string): bigint {
  if (currencyExponent(currency) === undefined) throw new UnreadableLine(`unknown currency "${currency}"`);
  if (typeof text !== "string" && typeof text !== "number") throw new UnreadableLine(`${field} is missing`);
  try {
    return parseDecimalAmount(String(text), currency);
  } catch {
    throw new UnreadableLine(`${field} "${String(text)}" is not an amount in ${currency}`);
  }
}

/** A required text field of a report line, or {@link UnreadableLine} naming it. */
export function reportText(field: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new UnreadableLine(`${field} is missing`);
  return value;
}

/** A report line's facts in minor units, before they become the contract's Settlement. */
export interface LineFacts {
  paymentId: string;
  providerReference: string;
  type: adapterv1.SettlementType;
  currency: string;
  gross: bigint;
  fees: readonly { kind: adapterv1.FeeKind; amount: bigint; description: string }[];
  /** As the provider reported it; absent when the report states no net (then gross − fees). */
  net?: bigint | undefined;
  settledAt?: Date | undefined;
  providerStatus: string;
}

/** Where a line sits in the report: the same for every line of a page. */
export interface LinePlace {
  businessDate: string;
  batchId: string;
  /** The line as received, already masked. */
  rawLine: string;
}

/**
 * Reads one line with `read`; a line it cannot read becomes a Settlement carrying
 * `unreadable_reason` and the raw line, so one bad line never hides the rest of the report and
 * the reconciler can count it. Any other error propagates (the report itself is unusable).
 */
export function readLine(place: LinePlace, read: () => LineFacts): SettlementInit {
  let facts: LineFacts;
  try {
    facts = read();
  } catch (error) {
    if (!(error instanceof UnreadableLine)) throw error;
    return { ...placeFields(place), unreadableReason: error.message };
  }
  const money = (minorUnits: bigint) => ({ currency: facts.currency, minorUnits });
  const feeTotal = facts.fees.reduce((sum, fee) => sum + fee.amount, 0n);
  const settledAt = facts.settledAt;
  return {
    ...placeFields(place),
    paymentId: facts.paymentId,
    providerReference: facts.providerReference,
    type: facts.type,
    amount: money(facts.gross),
    fees: facts.fees.map((fee) => ({
      kind: fee.kind,
      amount: money(fee.amount),
      description: fee.description,
    })),
    fee: money(feeTotal),
    net: money(facts.net ?? facts.gross - feeTotal),
    providerStatus: facts.providerStatus,
    ...(settledAt === undefined || Number.isNaN(settledAt.getTime())
      ? {}
      : { settledAt: timestampFromDate(settledAt) }),
  };
}

function placeFields(place: LinePlace) {
  return { businessDate: place.businessDate, batchId: place.batchId, rawLine: place.rawLine };
}

/**
 * Each line of a JSON report page as raw text, taken from the page's recorded exchange, which the
 * provider client already masked: a line's raw_line then costs no second pass of the masker (the
 * dearest step of reading a large report). `lines` picks the list out of the body. Undefined when
 * the recorded body does not hold exactly `count` lines; mask each line yourself then.
 */
export function maskedLinesOf(
  recordedBody: string | undefined,
  lines: (body: unknown) => unknown,
  count: number,
): string[] | undefined {
  if (recordedBody === undefined) return undefined;
  let list: unknown;
  try {
    list = lines(JSON.parse(recordedBody));
  } catch {
    return undefined;
  }
  if (!Array.isArray(list) || list.length !== count) return undefined;
  return list.map((line) => JSON.stringify(line));
}

/**
 * Pages through a cursor-paged report: `fetch(cursor)` reads one page (undefined cursor first) and
 * its messages are yielded before the next page is asked for, so at most one page is in memory
 * and a slow reader slows the paging down. An empty page of lines is not sent.
 */
export async function* pageThrough(
  fetch: (
    cursor: string | undefined,
  ) => Promise<{ messages: readonly SettlementItem[]; next: string | undefined }>,
): AsyncGenerator<SettlementItem> {
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    for (const message of page.messages) {
      if (message.batch !== undefined || (message.settlements?.length ?? 0) > 0) yield message;
    }
    if (page.next !== undefined && page.next === cursor) {
      const why = `the provider's report cursor did not move past "${cursor}"`;
      throw new PaymeshError(ErrorReason.PROVIDER_ERROR, why, { code: GrpcCode.UNAVAILABLE });
    }
    cursor = page.next;
  } while (cursor !== undefined);
}
