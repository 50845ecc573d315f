import { invalidField } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** A destination bank Xendit disburses to. */
interface Bank {
  /** Xendit's bank code: a name, e.g. `BCA`. */
  code: string;
  /** Bank Indonesia's 3-digit clearing code, which callers may give instead. */
  biCode: string;
  /** Account number length range, where the bank's is known. */
  digits?: readonly [min: number, max: number];
}

/**
 * Banks accepted by this adapter. The names and BI codes of the first nine are the ones Xendit
 * documents for disbursements; the rest are *unconfirmed* spellings of Xendit's list. Account
 * number lengths are the commonly published ones and *unconfirmed*: if a real account is refused,
 * widen the range here.
 */
const BANKS: readonly Bank[] = [
  { code: "BRI", biCode: "002", digits: [15, 15] },
  { code: "MANDIRI", biCode: "008", digits: [13, 13] },
  { code: "BNI", biCode: "009", digits: [10, 10] },
  { code: "DANAMON", biCode: "011" },
  { code: "PERMATA", biCode: "013", digits: [10, 16] },
  { code: "BCA", biCode: "014", digits: [10, 10] },
  { code: "CIMB", biCode: "022", digits: [12, 14] },
  { code: "BTN", biCode: "200", digits: [16, 16] },
  { code: "BSI", biCode: "451", digits: [10, 10] },
  { code: "MAYBANK", biCode: "016" },
  { code: "PANIN", biCode: "019" },
  { code: "OCBC", biCode: "028" },
  { code: "BJB", biCode: "110" },
  { code: "MUAMALAT", biCode: "147" },
  { code: "SINARMAS", biCode: "153" },
  { code: "BTPN", biCode: "213" },
  { code: "MEGA", biCode: "426" },
  { code: "BUKOPIN", biCode: "441" },
];

/** Length range for banks with no known rule: what any Indonesian account number fits (*unconfirmed*). */
const DEFAULT_DIGITS = [5, 20] as const;

/**
 * Resolves a caller's bank code to Xendit's: a name in any case (`bca`, `BCA`) or a Bank
 * Indonesia code (`014`). Unknown → INVALID_ARGUMENT BANK_NOT_SUPPORTED naming
 * `bank_transfer.bank_code`, before anything is sent to Xendit.
 */
export function xenditBankCode(given: string): string {
  const wanted = given.trim().toUpperCase();
  const bank = BANKS.find((candidate) => candidate.code === wanted || candidate.biCode === wanted);
  if (bank === undefined) {
    throw invalidField(
      "bank_transfer.bank_code",
      `"${given.slice(0, 20)}" is not a bank Xendit disburses to (use a name such as BCA or a BI code such as 014)`,
      ErrorReason.BANK_NOT_SUPPORTED,
    );
  }
  return bank.code;
}

/**
 * Checks an account number for a Xendit bank code: digits only, of the bank's length where known,
 * else 5–20. The message never repeats the number (error messages end up in logs).
 */
export function checkAccountNumber(bankCode: string, accountNumber: string): void {
  const [min, max] = BANKS.find((bank) => bank.code === bankCode)?.digits ?? DEFAULT_DIGITS;
  const length = min === max ? `${min}` : `${min} to ${max}`;
  if (!/^\d+$/.test(accountNumber) || accountNumber.length < min || accountNumber.length > max) {
    throw invalidField("bank_transfer.account_number", `${bankCode} account numbers are ${length} digits`);
  }
}

/** Every Xendit bank code the adapter accepts, for documentation and tests. */
export const SUPPORTED_BANK_CODES: readonly string[] = BANKS.map((bank) => bank.code);
