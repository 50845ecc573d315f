import { CliError } from "./cli-error.ts";

// IDR has ISO 4217 exponent 2: Rp10.000 is 1000000 minor units, even though sen are no longer used.
const EXPONENT = 2;
const MINOR_PER_RUPIAH = 10n ** BigInt(EXPONENT);
// Money.minor_units is an int64; anything larger could not be sent to the router anyway.
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
// "10.000" or "1.250.000": Indonesian thousands grouping, which a decimal reading would turn into Rp10.
const ID_GROUPING = /^\d{1,3}(?:\.\d{3})+$/;

/**
 * Turns what a person types for `--amount` (whole rupiah, optionally with one or two decimals) into
 * IDR minor units, exactly. Money never passes through a float here: "10000.5" is 1000050n. Anything
 * that would need rounding, or is not a positive amount, is refused with a one-line reason.
 */
export function parseRupiahAmount(text: string): bigint {
  const quoted = JSON.stringify(text);
  if (text.trim() === "") throw new CliError("amount is empty; give whole rupiah, e.g. 25000");
  if (text.trim().startsWith("-")) throw new CliError(`amount ${quoted} must be positive`);
  if (ID_GROUPING.test(text)) {
    const plain = text.replaceAll(".", "");
    throw new CliError(
      `amount ${quoted} has more than ${EXPONENT} decimals; for Rp${text} write ${plain} (no thousands separator)`,
    );
  }
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new CliError(`amount ${quoted} is not a number of rupiah; write digits like 25000 or 25000.50`);
  }
  const [, whole = "0", fraction = ""] = match;
  if (fraction.length > EXPONENT) {
    throw new CliError(`amount ${quoted} has more than ${EXPONENT} decimals; IDR has ${EXPONENT}`);
  }
  const minorUnits = BigInt(whole) * MINOR_PER_RUPIAH + BigInt(fraction.padEnd(EXPONENT, "0"));
  if (minorUnits === 0n) throw new CliError(`amount ${quoted} must be positive`);
  if (minorUnits > INT64_MAX) throw new CliError(`amount ${quoted} is too large`);
  return minorUnits;
}
