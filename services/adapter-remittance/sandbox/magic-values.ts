import type { TransferFate } from "./transfer-states.ts";

/**
 * Source amounts (decimal text at the source currency's exponent, any source currency) that fail
 * deterministically. Documented in sandbox/README.md.
 */
export const MAGIC_AMOUNTS = {
  /** Funding answers `REJECTED` / `transfer.insufficient_funds`; the transfer stays unfunded. */
  insufficientFunds: "66666.66",
  /**
   * `POST /v1/transfers` creates the transfer, then answers 504 without it, once per
   * customerTransactionId: the retry with the same id gets the transfer (Wise's idempotency).
   */
  timeoutAfterCreate: "50404.04",
} as const;

/**
 * Recipient account-number endings (the last four characters of `details.accountNumber`, or of
 * `details.IBAN`) that decide where a funded transfer ends up on `/sim/advance {"to":"complete"}`.
 */
const FATES: ReadonlyMap<string, TransferFate> = new Map([
  // Wise cannot pay out and returns the money: processing → funds_refunded.
  ["9001", "refunded"],
  // The recipient's bank returns the money after Wise sent it: … → outgoing_payment_sent → bounced_back.
  ["9002", "bounced"],
  // The funding is reversed: processing → charged_back.
  ["9003", "charged_back"],
]);

/** The fate of a transfer to this recipient; an ordinary account is paid out ("sent"). */
export function fateFor(details: Readonly<Record<string, string>>): TransferFate {
  const account = details.accountNumber ?? details.IBAN ?? "";
  return FATES.get(account.slice(-4)) ?? "sent";
}
