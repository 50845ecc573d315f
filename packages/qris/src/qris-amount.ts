import { QrisError } from "./qris-error.ts";

// EMVCo gives tag 54 (and the fixed fee in 56) the format ans..13.
const MAX_AMOUNT_LENGTH = 13;
const AMOUNT = /^(\d+)(?:\.(\d{1,2}))?$/;
const TOO_MANY_DECIMALS = /^\d+\.\d{3,}$/;
// Tag 57: a percentage from 00.01 to 99.99.
const PERCENTAGE = /^\d{1,2}(?:\.\d{1,2})?$/;
// IDR has ISO 4217 exponent 2, so minor units are hundredths of a rupiah even though cents are unused.
const MINOR_PER_MAJOR = 100n;

/**
 * Why `value` is not a valid QRIS amount, or undefined if it is. Returned rather than thrown so that
 * the decoder and `toDynamicQris` can each attach their own tag and offset.
 */
export function amountProblem(value: string, what = "amount"): string | undefined {
  const quoted = JSON.stringify(value);
  if (value.length > MAX_AMOUNT_LENGTH) {
    return `${what} ${quoted} is longer than ${MAX_AMOUNT_LENGTH} characters`;
  }
  if (TOO_MANY_DECIMALS.test(value)) return `${what} ${quoted} has more than two decimals`;
  if (!AMOUNT.test(value)) return `${what} ${quoted} must be digits with an optional "." and two decimals`;
  if (/^[0.]+$/.test(value)) return `${what} ${quoted} must be positive`;
  return undefined;
}

/** Why `value` is not a valid tag 57 percentage fee, or undefined if it is. */
export function percentageProblem(value: string): string | undefined {
  const quoted = JSON.stringify(value);
  if (!PERCENTAGE.test(value)) return `percentage ${quoted} must be 00.01 to 99.99 with at most two decimals`;
  if (/^[0.]+$/.test(value)) return `percentage ${quoted} must be positive`;
  return undefined;
}

/**
 * Renders IDR minor units the way tag 54 wants them: no decimals when whole, else exactly two.
 * Exists so money stays a bigint everywhere except this edge. 1000000n -> "10000", 1000050n ->
 * "10000.50".
 */
export function formatQrisAmount(minorUnits: bigint): string {
  if (minorUnits <= 0n) {
    throw new QrisError("BAD_VALUE", `amount ${minorUnits} minor units must be positive`, { tag: "54" });
  }
  const whole = minorUnits / MINOR_PER_MAJOR;
  const fraction = minorUnits % MINOR_PER_MAJOR;
  const text = fraction === 0n ? `${whole}` : `${whole}.${fraction.toString().padStart(2, "0")}`;
  if (text.length > MAX_AMOUNT_LENGTH) {
    const detail = `amount ${minorUnits} minor units does not fit in ${MAX_AMOUNT_LENGTH} characters`;
    throw new QrisError("BAD_VALUE", detail, { tag: "54" });
  }
  return text;
}

/**
 * Inverse of `formatQrisAmount`: turns a tag 54 string into IDR minor units, so adapters can compare a
 * decoded amount with a charge without going through floats. "10000.5" -> 1000050n.
 */
export function parseQrisAmount(amount: string): bigint {
  const problem = amountProblem(amount);
  const match = AMOUNT.exec(amount);
  if (problem !== undefined || match === null) {
    throw new QrisError("BAD_VALUE", problem ?? `amount ${JSON.stringify(amount)} is invalid`, { tag: "54" });
  }
  const [, whole = "0", fraction = ""] = match;
  return BigInt(whole) * MINOR_PER_MAJOR + BigInt(fraction.padEnd(2, "0"));
}
