/**
 * How a provider rounds the share of the gross and the tax it computes: to the nearest (half up),
 * down or up, to a whole `roundingUnitMinor` (QRIS acquirers' files: down to the rupiah, 100 sen;
 * Wise: up to the minor unit).
 */
export const FEE_ROUNDINGS = ["half-up", "down", "up"] as const;
export type FeeRounding = (typeof FEE_ROUNDINGS)[number];

/**
 * What a provider is allowed to charge per payment in one currency, as its contract declares:
 * a percentage of the gross (QRIS MDR), a flat fee (a VA or disbursement fee) or both, plus tax
 * on the fee (Indonesian VAT, 11%). Rates are integers in parts per million, so no float ever
 * touches money; the share of the gross and the tax are each rounded as `rounding` says.
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
  /** How the share of the gross and the tax are rounded. @default "half-up" */
  rounding?: FeeRounding;
  /** What they are rounded to, in minor units: 100 is whole rupiah. @default 1n */
  roundingUnitMinor?: bigint;
}

/** A fee schedule: at most one rule per currency; payments in other currencies are not fee-checked. */
export type FeeSchedule = readonly FeeRule[];

const PPM = 1_000_000;

/**
 * The schedule as parallel text arrays, the one shape both drivers bind the same way; the
 * matching SQL unnests them into a (currency, rate_ppm, flat_minor, tax_ppm, rounding, unit_minor)
 * relation. Throws on a rule that could not be a contract's (a rate over 100%, a negative fee, a
 * currency twice, an unknown rounding or a unit below 1).
 */
export function feeScheduleParams(schedule: FeeSchedule): string[][] {
  const currencies: string[] = [];
  const rates: string[] = [];
  const flats: string[] = [];
  const taxes: string[] = [];
  const roundings: string[] = [];
  const units: string[] = [];
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
    const rounding = rule.rounding ?? "half-up";
    if (!FEE_ROUNDINGS.includes(rounding))
      throw new RangeError(
        `fee rule ${rule.currency}: rounding ${rounding} is not one of ${FEE_ROUNDINGS.join(", ")}`,
      );
    const unit = rule.roundingUnitMinor ?? 1n;
    if (unit < 1n) throw new RangeError(`fee rule ${rule.currency}: roundingUnitMinor ${unit} is below 1`);
    currencies.push(rule.currency);
    rates.push(String(ratePpm));
    flats.push(String(flatMinor));
    taxes.push(String(taxPpm));
    roundings.push(rounding);
    units.push(String(unit));
  }
  return [currencies, rates, flats, taxes, roundings, units];
}
