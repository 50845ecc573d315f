// The wire's settlement report (ListSettlements pages, positive magnitudes and a type) as the
// engine's input (SettlementLine, amounts signed as they move the merchant's balance).
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { adapterv1 } from "@paymesh/proto";
import type { SettlementLine, TransactionType, UnreadableLine } from "./settlement-line.ts";

const { FeeKind, SettlementType } = adapterv1;

/**
 * Each wire type, its engine name and which way it moves the merchant's balance. A payment (or a
 * payout an adapter settles) counts positive: the engine matches it against our payment's amount.
 * Money given back counts negative; so does a standalone provider fee. An adjustment's direction
 * is not on the wire, so it keeps the provider's sign (positive): the engine hands every
 * adjustment to a person anyway.
 */
const TYPES: ReadonlyMap<adapterv1.SettlementType, { type: TransactionType; sign: bigint }> = new Map([
  [SettlementType.PAYMENT, { type: "payment", sign: 1n }],
  [SettlementType.REFUND, { type: "refund", sign: -1n }],
  [SettlementType.REVERSAL, { type: "reversal", sign: -1n }],
  [SettlementType.CHARGEBACK, { type: "chargeback", sign: -1n }],
  [SettlementType.ADJUSTMENT, { type: "adjustment", sign: 1n }],
  [SettlementType.FEE, { type: "fee", sign: -1n }],
]);

/**
 * One wire line as the engine's line. Fees are what the provider charged, whichever way the money
 * moved: the provider's fee (and any fee it calls "other") goes to `providerFee`, VAT and withheld
 * income tax to `tax`. The wire's net is the provider's own figure (gross − fees in magnitudes);
 * its sign follows the gross and a provider's arithmetic error is carried over unchanged, so the
 * engine's net check still catches it. A line the adapter marked unreadable, or one whose amounts
 * cannot be read here (no amount, mixed currencies, no type), becomes an unreadable line with why.
 */
export function settlementLine(wire: adapterv1.Settlement): SettlementLine {
  const unreadable = (reason: string): UnreadableLine => ({
    kind: "unreadable",
    reason,
    rawLine: wire.rawLine,
    ...(wire.batchId === "" ? {} : { batchId: wire.batchId }),
  });
  if (wire.unreadableReason !== "") return unreadable(wire.unreadableReason);
  const direction = TYPES.get(wire.type);
  if (direction === undefined) return unreadable(`settlement type ${wire.type} is not one the engine knows`);
  const amount = wire.amount;
  if (amount === undefined) return unreadable("amount is missing");
  const { currency } = amount;
  let providerFee = 0n;
  let tax = 0n;
  // Readers of the first version of the message get only `fee`; a line that itemizes says more.
  const fees =
    wire.fees.length > 0
      ? wire.fees
      : wire.fee === undefined
        ? []
        : [{ kind: FeeKind.PROVIDER_FEE, amount: wire.fee }];
  for (const fee of fees) {
    if (fee.amount === undefined) continue;
    if (fee.amount.currency !== currency)
      return unreadable(`a fee is in ${fee.amount.currency}, the line in ${currency}`);
    if (fee.kind === FeeKind.TAX || fee.kind === FeeKind.WITHHOLDING_TAX) tax += fee.amount.minorUnits;
    else providerFee += fee.amount.minorUnits;
  }
  const charged = providerFee + tax;
  let net = amount.minorUnits - charged;
  if (wire.net !== undefined) {
    if (wire.net.currency !== currency)
      return unreadable(`net is in ${wire.net.currency}, the line in ${currency}`);
    net = wire.net.minorUnits;
  }
  if (wire.settledAt === undefined) return unreadable("settled_at is missing");
  const gross = direction.sign * amount.minorUnits;
  return {
    kind: "transaction",
    type: direction.type,
    ...(wire.paymentId === "" ? {} : { paymentId: wire.paymentId }),
    providerReference: wire.providerReference,
    gross,
    providerFee,
    tax,
    // net + charged is the gross the provider's net implies; signed like the gross, less the fees.
    net: direction.sign * (net + charged) - charged,
    currency,
    businessDate: wire.businessDate,
    settledAt: timestampDate(wire.settledAt),
    batchId: wire.batchId,
    providerStatus: wire.providerStatus,
    rawLine: wire.rawLine,
  };
}

/**
 * A batch's declared control totals as the engine's batch total, taken as declared. The contract
 * (payments.adapter.v1.SettlementBatch) defines them as the engine sums lines: per currency, each
 * line signed as TYPES above signs it, net being the payout; so the engine compares them with the
 * signed sums of the batch's lines in that currency, like with like.
 */
export function batchTotal(wire: adapterv1.SettlementBatch): SettlementLine {
  const gross = wire.grossTotal;
  const net = wire.netTotal;
  if (gross === undefined || net === undefined)
    return { kind: "unreadable", reason: "batch totals without a gross or net total", rawLine: wire.rawLine };
  if (gross.currency !== net.currency)
    return {
      kind: "unreadable",
      reason: `batch gross total in ${gross.currency}, net total in ${net.currency}`,
      rawLine: wire.rawLine,
    };
  return {
    kind: "batch_total",
    batchId: wire.batchId,
    currency: gross.currency,
    gross: gross.minorUnits,
    net: net.minorUnits,
    // 0 is proto3's "not set": a provider that states a count states one above zero.
    ...(wire.lineCount === 0n ? {} : { lineCount: Number(wire.lineCount) }),
    businessDate: wire.businessDate,
    rawLine: wire.rawLine,
  };
}

/**
 * The engine's lines from a ListSettlements stream, page by page as the stream delivers them: a
 * page is mapped while the next is still on the wire, and nothing of the report is kept, so a
 * million-line report costs the memory of a page. `onExpectedLines` hears the report's stated
 * size (ListSettlementsResponse.expected_lines) when a message carries one.
 */
export async function* settlementLines(
  pages: AsyncIterable<adapterv1.ListSettlementsResponse>,
  onExpectedLines?: (lines: number) => void,
): AsyncGenerator<SettlementLine> {
  for await (const page of pages) {
    if (page.expectedLines > 0n) onExpectedLines?.(Number(page.expectedLines));
    for (const wire of page.settlements) yield settlementLine(wire);
    if (page.batch !== undefined) yield batchTotal(page.batch);
  }
}
