/**
 * Destination banks the simulator disburses to, by Xendit bank code. Xendit names banks
 * (docs/providers.md: `BCA`, `BNI`, `BRI`, `MANDIRI`, `PERMATA`, `CIMB`, …); Bank Indonesia's numeric
 * codes are NOT accepted here, as on the real API, so an adapter must translate them. The codes
 * after BSI are *unconfirmed* spellings of Xendit's list.
 */
export const SIM_BANK_CODES: ReadonlySet<string> = new Set([
  "BCA",
  "BNI",
  "BRI",
  "MANDIRI",
  "PERMATA",
  "CIMB",
  "DANAMON",
  "BTN",
  "BSI",
  "MUAMALAT",
  "BJB",
  "MEGA",
  "OCBC",
  "PANIN",
  "SINARMAS",
  "MAYBANK",
  "BTPN",
  "BUKOPIN",
]);

/**
 * Single-disbursement bounds in whole rupiah: Rp10.000 to Rp100.000.000 to most banks
 * (*unconfirmed*; Xendit publishes per-bank limits that change).
 */
export const SIM_AMOUNT_LIMITS = { min: 10_000, max: 100_000_000 } as const;

/** Account numbers are digits only; 5–20 is the loosest range any Indonesian bank uses (*unconfirmed*). */
export const SIM_ACCOUNT_NUMBER = /^\d{5,20}$/;

/**
 * The Xendit fee charged per successful disbursement, in whole rupiah, and its 11 % VAT, as
 * reported by the transactions report (*unconfirmed*: Xendit prices per contract).
 */
export const SIM_FEE = { xenditFee: 4_000, valueAddedTax: 440 } as const;
