/**
 * What a provider is allowed to charge per payment in one currency, as its contract declares:
 * a percentage of the gross (QRIS MDR), a flat fee (a VA or disbursement fee) or both, plus tax
 * on the fee (Indonesian VAT, 11%). Rates are integers in parts per million, so no float ever
 * touches money; the expected amounts are rounded half up to whole minor units.
 */
export interface FeeRule {
  /** ISO 4217 code of the payments the rule applies to. */
  currency: string;
  /** Share of the gross, in parts per million: an MDR of 0.7% is 7_000. @default 0 */
  ratePpm?: number;
  /** Fixed fee per payment, in the currency's minor units. @default 0n */
  flatMinor?: bigint;
  /** Tax on the fee, in parts per million: VAT of 11% is 110_000. @default 0 */
  taxPpm?: number;
}

/** A fee schedule: at most one rule per currency; payments in other currencies are not fee-checked. */
export type FeeSchedule = readonly FeeRule[];

const PPM = 1_000_000;

/**
 * The schedule as parallel text arrays, the one shape both drivers bind the same way; the
 * matching SQL unnests them into a (currency, rate_ppm, flat_minor, tax_ppm) relation.
 * Throws on a rule that could not be a contract's (a rate over 100%, a negative fee, a currency twice).
 */
export function feeScheduleParams(schedule: FeeSchedule): [string[], string[], string[], string[]] {
  const currencies: string[] = [];
  const rates: string[] = [];
  const flats: string[] = [];
  const taxes: string[] = [];
  for (const rule of schedule) {
    const ratePpm = rule.ratePpm ?? 0;
    const taxPpm = rule.taxPpm ?? 0;
    const flatMinor = rule.flatMinor ?? 0n;
    if (!/^[A-Z]{3}$/.test(rule.currency))
      throw new RangeError(`fee rule currency ${rule.currency} is not ISO 4217`);
    if (currencies.includes(rule.currency)) throw new RangeError(`two fee rules for ${rule.currency}`);
    for (const [name, value] of [
      ["ratePpm", ratePpm],
      ["taxPpm", taxPpm],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > PPM)
        throw new RangeError(`fee rule ${rule.currency}: ${name} ${value} is not an integer in [0, ${PPM}]`);
    }
    if (flatMinor < 0n) throw new RangeError(`fee rule ${rule.currency}: flatMinor ${flatMinor} is negative`);
    currencies.push(rule.currency);
    rates.push(String(ratePpm));
    flats.push(String(flatMinor));
    taxes.push(String(taxPpm));
  }
  return [currencies, rates, flats, taxes];
}
