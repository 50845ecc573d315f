import { ErrorReason } from "@paymesh/proto";
import { invalidField, PaymeshError } from "./paymesh-error.ts";

/**
 * ISO 4217 minor-unit exponents for the currencies Paymesh handles. Absent means unsupported:
 * guessing an exponent is how amounts end up off by a factor of 100.
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  IDR: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  SGD: 2,
  AUD: 2,
  MYR: 2,
  PHP: 2,
  THB: 2,
  HKD: 2,
  CNY: 2,
  INR: 2,
  NZD: 2,
  CAD: 2,
  CHF: 2,
  TWD: 2,
  VND: 0,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  BHD: 3,
};

/** The ISO 4217 exponent of a currency, or undefined if Paymesh does not know it. */
export function currencyExponent(currency: string): number | undefined {
  return EXPONENTS[currency];
}

/**
 * Formats minor units as a plain decimal string at the currency's exponent ("10000.00" for
 * 1000000n IDR) — the shape most provider APIs want at the edge.
 */
export function formatMinorUnits(minorUnits: bigint, currency: string, decimals?: number): string {
  const exponent = requireExponent(currency);
  const sign = minorUnits < 0n ? "-" : "";
  const abs = minorUnits < 0n ? -minorUnits : minorUnits;
  const scale = 10n ** BigInt(exponent);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(exponent, "0");
  const shown = decimals ?? exponent;
  if (shown < exponent && BigInt(fraction.slice(shown) || "0") !== 0n) {
    throw new PaymeshError(
      ErrorReason.INVALID_FIELD,
      `${formatMinorUnits(minorUnits, currency)} ${currency} cannot be written with ${shown} decimals`,
    );
  }
  const fractionShown = fraction.slice(0, shown).padEnd(shown, "0");
  return shown === 0 ? `${sign}${whole}` : `${sign}${whole}.${fractionShown}`;
}

/**
 * Parses a provider's decimal string ("10000.00", "10000") into minor units, exactly. Rejects
 * more decimals than the currency has instead of rounding money.
 */
export function parseDecimalAmount(value: string, currency: string): bigint {
  const exponent = requireExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (match === null) throw new PaymeshError(ErrorReason.INVALID_FIELD, `"${value}" is not a decimal amount`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) {
    throw new PaymeshError(
      ErrorReason.INVALID_FIELD,
      `"${value}" has more than ${exponent} decimals for ${currency}`,
    );
  }
  const minor =
    BigInt(whole) * 10n ** BigInt(exponent) +
    BigInt(fraction.slice(0, exponent).padEnd(exponent, "0") || "0");
  return sign === "-" ? -minor : minor;
}

/** Validates a Money field of a request; throws INVALID_ARGUMENT naming the field. */
export function validateMoney(
  money: { currency: string; minorUnits: bigint } | undefined,
  field: string,
): { currency: string; minorUnits: bigint } {
  if (money === undefined)
    throw new PaymeshError(ErrorReason.MISSING_FIELD, `${field}: is required`, { field });
  if (!/^[A-Z]{3}$/.test(money.currency)) {
    throw invalidField(`${field}.currency`, `"${money.currency}" is not an ISO 4217 code`);
  }
  if (currencyExponent(money.currency) === undefined) {
    throw invalidField(
      `${field}.currency`,
      `${money.currency} is not supported`,
      ErrorReason.CURRENCY_NOT_SUPPORTED,
    );
  }
  if (money.minorUnits <= 0n) {
    throw invalidField(`${field}.minor_units`, "must be positive", ErrorReason.AMOUNT_OUT_OF_RANGE);
  }
  return money;
}

function requireExponent(currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    throw new PaymeshError(ErrorReason.CURRENCY_NOT_SUPPORTED, `currency ${currency} is not supported`);
  }
  return exponent;
}
