import { currencyExponent, formatMinorUnits, parseDecimalAmount } from "@paymesh/adapter-kit";
import { CliError } from "./cli-error.ts";
import { parseRupiahAmount } from "./rupiah-amount.ts";

// Money.minor_units is an int64; anything larger could not be sent to the router anyway.
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^\d+(?:\.(\d+))?$/;

/**
 * Reads a currency option (`--from usd` is fine) as an upper-case ISO 4217 code Paymesh knows the
 * exponent of. An unknown code is refused here: guessing its exponent is how an amount ends up off
 * by a factor of 100.
 */
export function parseCurrency(text: string, option: string): string {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new CliError(`${option} ${JSON.stringify(text)} is not an ISO 4217 currency code like USD or IDR`);
  }
  if (currencyExponent(code) === undefined) {
    throw new CliError(`${option} ${code} is not a currency Paymesh supports (its minor unit is unknown)`);
  }
  return code;
}

/**
 * Turns a decimal amount in `currency` into minor units at the currency's ISO 4217 exponent, exactly:
 * "100.5" USD is 10050n, "10000" JPY is 10000n. More decimals than the currency has are refused, not
 * rounded (JPY has none, so "100.5" JPY is an error). IDR goes through the rupiah reader, which also
 * catches Indonesian thousands grouping ("10.000").
 */
export function parseCurrencyAmount(text: string, currency: string): bigint {
  if (currency === "IDR") return parseRupiahAmount(text);
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new CliError(`currency ${currency} is not supported`);
  const quoted = JSON.stringify(text);
  const example = exponent === 0 ? "10000" : `100.${"5".padEnd(exponent, "0")}`;
  if (text.trim() === "") throw new CliError(`amount is empty; give ${currency}, e.g. ${example}`);
  if (text.trim().startsWith("-")) throw new CliError(`amount ${quoted} must be positive`);
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new CliError(`amount ${quoted} is not an amount of ${currency}; write digits like ${example}`);
  }
  const decimals = match[1]?.length ?? 0;
  if (decimals > exponent) {
    throw new CliError(
      exponent === 0
        ? `amount ${quoted} has decimals; ${currency} has none`
        : `amount ${quoted} has more than ${exponent} decimals; ${currency} has ${exponent}`,
    );
  }
  const minorUnits = parseDecimalAmount(text, currency);
  if (minorUnits === 0n) throw new CliError(`amount ${quoted} must be positive`);
  if (minorUnits > INT64_MAX) throw new CliError(`amount ${quoted} is too large`);
  return minorUnits;
}

/**
 * "1500000.00 IDR", "10000 JPY": minor units written at the currency's exponent, for output. A
 * currency Paymesh does not know (which a provider could still send) shows its raw minor units.
 */
export function formatMoney(money: { currency: string; minorUnits: bigint } | undefined): string {
  if (money === undefined) return "(none)";
  if (currencyExponent(money.currency) === undefined)
    return `${money.minorUnits} minor units of ${money.currency}`;
  return `${formatMinorUnits(money.minorUnits, money.currency)} ${money.currency}`;
}
