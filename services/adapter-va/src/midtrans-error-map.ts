import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** How the adapter treats one Midtrans error `status_code`. */
export type MidtransOutcome =
  /** The request was refused; nothing was created or changed upstream. */
  | { kind: "refused"; reason: ErrorReason; code: GrpcCode }
  /** Midtrans declined the payment itself: a FAILED payment, not an error. */
  | { kind: "declined"; reason: ErrorReason }
  /** Midtrans already has this order_id: fetch it instead of failing. */
  | { kind: "duplicate" }
  /** Midtrans does not know the order. */
  | { kind: "not-found" }
  /** Midtrans may or may not have acted: ask the status API before answering. */
  | { kind: "uncertain"; reason: ErrorReason };

const refused = (reason: ErrorReason, code: GrpcCode): MidtransOutcome => ({ kind: "refused", reason, code });

/**
 * The one table from Midtrans `status_code` values of error answers to Paymesh outcomes
 * (PROVIDERS.md, "Midtrans Core API"). 200, 201 and 407 with a transaction body are not errors:
 * they are read as transactions (midtrans-status.ts); they appear here only for answers without one.
 */
const TABLE: ReadonlyMap<string, MidtransOutcome> = new Map([
  // Denied by the bank or Midtrans's fraud detection.
  ["202", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
  // Our request failed Midtrans's validation (the adapter validates first, so this means drift).
  ["400", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
  // Server key refused: a configuration fault; nothing was created.
  ["401", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
  // *Unconfirmed* (not in PROVIDERS.md): the account has no access to this payment type.
  ["402", refused(ErrorReason.METHOD_NOT_SUPPORTED, GrpcCode.FAILED_PRECONDITION)],
  ["404", { kind: "not-found" }],
  // Duplicate order_id: the order_id is our idempotency key, so this means "already created".
  ["406", { kind: "duplicate" }],
  ["407", refused(ErrorReason.PAYMENT_EXPIRED, GrpcCode.FAILED_PRECONDITION)],
  // *Unconfirmed* (not in PROVIDERS.md): the merchant account is deactivated.
  ["410", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
  // The transaction's status cannot be modified (cancel after settlement, expiry or cancel).
  ["412", refused(ErrorReason.PAYMENT_NOT_CANCELABLE, GrpcCode.FAILED_PRECONDITION)],
  // Rate limited before processing: nothing was created; the caller may retry later.
  ["429", refused(ErrorReason.PROVIDER_RATE_LIMITED, GrpcCode.RESOURCE_EXHAUSTED)],
  ["500", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
  ["502", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  ["503", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  ["504", { kind: "uncertain", reason: ErrorReason.PROVIDER_TIMEOUT }],
]);

/** The outcome for an error status_code; unknown codes (other 5xx included) are uncertain. */
export function midtransOutcome(statusCode: string): MidtransOutcome {
  return TABLE.get(statusCode) ?? { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR };
}

/**
 * Midtrans field names in `validation_messages` → the Paymesh request field at fault, so a
 * refusal names what the caller can fix. First matching prefix wins.
 */
const FIELDS: ReadonlyArray<[midtransPrefix: string, paymeshField: string]> = [
  ["bank_transfer.va_number", "virtual_account.custom_va_number"],
  ["bank_transfer.permata.recipient_name", "virtual_account.customer_name"],
  ["customer_details", "virtual_account.customer_name"],
  ["bank_transfer.bank", "virtual_account.bank"],
  ["transaction_details.gross_amount", "amount.minor_units"],
  ["transaction_details.order_id", "payment_id"],
  ["custom_expiry", "expires_at"],
];

/** The Paymesh field the first recognizable validation message is about, if any. */
export function fieldOfValidation(validationMessages: readonly string[]): string | undefined {
  for (const message of validationMessages) {
    const row = FIELDS.find(([prefix]) => message.startsWith(prefix));
    if (row !== undefined) return row[1];
  }
  return undefined;
}

/** The PaymeshError for a refused request, carrying Midtrans's status_code verbatim. */
export function midtransRefusal(
  outcome: Extract<MidtransOutcome, { kind: "refused" }>,
  answer: { statusCode: string; statusMessage: string; validationMessages?: readonly string[] },
): PaymeshError {
  const details = answer.validationMessages?.length ? ` [${answer.validationMessages.join("; ")}]` : "";
  const field = fieldOfValidation(answer.validationMessages ?? []);
  return new PaymeshError(
    outcome.reason,
    `Midtrans refused the request: ${answer.statusMessage} (${answer.statusCode})${details}`,
    { code: outcome.code, providerCode: answer.statusCode, ...(field === undefined ? {} : { field }) },
  );
}
