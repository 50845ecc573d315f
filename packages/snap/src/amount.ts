/**
 * SNAP amount objects, `{"value":"10000.00","currency":"IDR"}` (docs/providers.md): the value is a
 * string with exactly two decimals. Paymesh holds money as bigint minor units; this is the one
 * place where they become that string and back, so no float ever touches an amount.
 */

/** A SNAP amount object as it appears in request and response bodies. */
export interface SnapAmount {
  value: string;
  currency: string;
}

/**
 * Currencies whose ISO 4217 exponent is not 2. SNAP always writes two decimals, so minor units of
 * these would be off by a factor of 100 or 10; refusing them is better than a silent mis-charge.
 */
const NON_CENT_CURRENCIES = new Set([
  "JPY",
  "KRW",
  "VND",
  "CLP",
  "ISK",
  "UGX",
  "BHD",
  "KWD",
  "OMR",
  "JOD",
  "TND",
  "IQD",
  "LYD",
]);

function checkCurrency(currency: string): void {
  if (!/^[A-Z]{3}$/.test(currency))
    throw new RangeError(`SNAP amount: "${currency}" is not an ISO 4217 code`);
  if (NON_CENT_CURRENCIES.has(currency)) {
    throw new RangeError(
      `SNAP amount: ${currency} does not have 2 decimals, so its minor units cannot map to SNAP's`,
    );
  }
}

/** Minor units (1000000n IDR = Rp10.000) to a SNAP amount (`"10000.00"`); rejects negatives. */
export function formatSnapAmount(minorUnits: bigint, currency: string): SnapAmount {
  checkCurrency(currency);
  if (minorUnits < 0n) throw new RangeError(`SNAP amount: ${minorUnits} minor units is negative`);
  const whole = minorUnits / 100n;
  const cents = (minorUnits % 100n).toString().padStart(2, "0");
  return { value: `${whole}.${cents}`, currency };
}

/**
 * A SNAP amount to minor units. Strict on purpose: digits, one dot, exactly two decimals
 * (`"10000.00"`); `"10000"`, `"1e4"`, `"10,000.00"` or `"-1.00"` are a counterpart's bug, and
 * guessing what they meant is how money goes wrong.
 */
export function parseSnapAmount(amount: SnapAmount): bigint {
  checkCurrency(amount.currency);
  const match = /^(\d+)\.(\d{2})$/.exec(amount.value);
  if (match === null) {
    throw new RangeError(
      `SNAP amount: value "${amount.value}" must be digits with exactly two decimals, e.g. "10000.00"`,
    );
  }
  const [, whole = "", cents = ""] = match;
  return BigInt(whole) * 100n + BigInt(cents);
}
