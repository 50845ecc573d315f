import type { XenditErrorCode } from "./xendit-failure.ts";

/**
 * The failure codes a disbursement can end with: Xendit's "Disbursement Errors" page, "Errors in
 * executing the disbursement" (docs/providers.md, "Xendit Disbursements").
 */
export const FAILURE_CODES = [
  "INSUFFICIENT_BALANCE",
  "INVALID_DESTINATION",
  "REJECTED_BY_BANK",
  "TEMPORARY_BANK_NETWORK_ERROR",
  "UNKNOWN_BANK_NETWORK_ERROR",
  "TRANSFER_ERROR",
  "SWITCHING_NETWORK_ERROR",
  "TEMPORARY_TRANSFER_ERROR",
] as const;

/** One of {@link FAILURE_CODES}. */
export type FailureCode = (typeof FAILURE_CODES)[number];

/** True for a documented failure code. */
export function isFailureCode(value: unknown): value is FailureCode {
  return typeof value === "string" && (FAILURE_CODES as readonly string[]).includes(value);
}

/** What a magic amount makes `POST /disbursements` do instead of a plain success. */
export interface MagicCreation {
  errorCode: XenditErrorCode;
  /**
   * Whether the disbursement is created (a charge, the idempotency key spent) before the error
   * is answered: the "server error after the money moved" case an adapter must resolve, not guess.
   */
  createsCharge: boolean;
}

/**
 * Amounts in whole rupiah that fail creation deterministically, so every error path is reachable
 * with an ordinary request. All lie inside the Rp10.000–Rp100.000.000 limits, so an adapter's own
 * limit check lets them through. Listed in sandbox/README.md.
 */
const MAGIC_AMOUNTS: ReadonlyMap<number, MagicCreation> = new Map([
  [10_400, { errorCode: "API_VALIDATION_ERROR", createsCharge: false }],
  [10_401, { errorCode: "BANK_CODE_NOT_SUPPORTED_ERROR", createsCharge: false }],
  [10_402, { errorCode: "RECIPIENT_ACCOUNT_NUMBER_ERROR", createsCharge: false }],
  [10_403, { errorCode: "RECIPIENT_AMOUNT_ERROR", createsCharge: false }],
  [10_404, { errorCode: "MAXIMUM_TRANSFER_LIMIT_ERROR", createsCharge: false }],
  [10_405, { errorCode: "REQUEST_FORBIDDEN_ERROR", createsCharge: false }],
  // What Xendit answers a body that is not JSON, which a correct client never sends.
  [10_406, { errorCode: "INVALID_JSON_FORMAT", createsCharge: false }],
  // The key "was used before" by someone else: nothing exists under this external_id.
  [10_409, { errorCode: "DUPLICATE_TRANSACTION_ERROR", createsCharge: false }],
  // Fails before creating anything, every time: retrying with the same key fails again.
  [10_500, { errorCode: "SERVER_ERROR", createsCharge: false }],
  // Creates the disbursement and spends the key, then answers SERVER_ERROR.
  [10_501, { errorCode: "SERVER_ERROR", createsCharge: true }],
]);

/** The magic creation outcome of an amount, or undefined for an ordinary amount. */
export function magicCreation(amount: number): MagicCreation | undefined {
  return MAGIC_AMOUNTS.get(amount);
}

/**
 * Account numbers made of 9s ending in `101`–`108` (any length the bank allows, e.g. BCA
 * `9999999101`, Mandiri `9999999999103`) are accepted at creation and FAIL when completed, with
 * the failure code their last digit selects, in {@link FAILURE_CODES} order.
 */
export function magicFailureCode(accountNumber: string): FailureCode | undefined {
  const match = /^9+10([1-8])$/.exec(accountNumber);
  return match === null ? undefined : FAILURE_CODES[Number(match[1]) - 1];
}
