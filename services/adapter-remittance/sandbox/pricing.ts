import type { FeeSchedule } from "./options.ts";

/** Wise's fee parts, as in `paymentOptions[].fee` (minor units of the source currency). */
export interface FeeParts {
  transferwise: bigint;
  payIn: bigint;
  discount: bigint;
  partner: bigint;
  total: bigint;
}

/** A priced quote: both amounts at their currencies' exponents, and the fee. */
export interface Pricing {
  sourceMinorUnits: bigint;
  targetMinorUnits: bigint;
  fee: FeeParts;
}

/** What to price: exactly one of the amounts is given, as Wise's quote request allows. */
export interface PricingInput {
  rate: string;
  sourceExponent: number;
  targetExponent: number;
  fee: FeeSchedule;
  partnerFeeBps: bigint;
  sourceMinorUnits?: bigint;
  targetMinorUnits?: bigint;
}

const BPS = 10_000n;

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function rational(rate: string): { numerator: bigint; denominator: bigint } {
  const [whole = "0", fraction = ""] = rate.split(".");
  return { numerator: BigInt(`${whole}${fraction}`), denominator: 10n ** BigInt(fraction.length) };
}

function fees(sourceMinorUnits: bigint, input: PricingInput): FeeParts {
  const transferwise = input.fee.fixedMinorUnits + ceilDiv(sourceMinorUnits * input.fee.bps, BPS);
  const partner = ceilDiv(sourceMinorUnits * input.partnerFeeBps, BPS);
  return { transferwise, payIn: 0n, discount: 0n, partner, total: transferwise + partner };
}

/**
 * Prices a quote with exact integer arithmetic: from a source amount, the fee comes off first and
 * the rest converts at the rate, rounded down to the target's minor unit; from a target amount, the
 * source is what converts to it (rounded up) plus the fee on that source. Returns undefined when the
 * amount cannot cover the fee (Wise answers that as an invalid amount).
 */
export function priceQuote(input: PricingInput): Pricing | undefined {
  const { numerator, denominator } = rational(input.rate);
  const sourceScale = 10n ** BigInt(input.sourceExponent);
  const targetScale = 10n ** BigInt(input.targetExponent);
  if (input.sourceMinorUnits !== undefined) {
    const fee = fees(input.sourceMinorUnits, input);
    const converted = input.sourceMinorUnits - fee.total;
    if (converted <= 0n) return undefined;
    const targetMinorUnits = (converted * numerator * targetScale) / (denominator * sourceScale);
    if (targetMinorUnits <= 0n) return undefined;
    return { sourceMinorUnits: input.sourceMinorUnits, targetMinorUnits, fee };
  }
  const targetMinorUnits = input.targetMinorUnits ?? 0n;
  if (targetMinorUnits <= 0n || numerator === 0n) return undefined;
  const base = ceilDiv(targetMinorUnits * denominator * sourceScale, numerator * targetScale);
  const keptBps = BPS - input.fee.bps - input.partnerFeeBps;
  const sourceMinorUnits = ceilDiv((base + input.fee.fixedMinorUnits) * BPS, keptBps);
  return { sourceMinorUnits, targetMinorUnits, fee: fees(sourceMinorUnits, input) };
}
