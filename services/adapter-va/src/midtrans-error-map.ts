import {
  GrpcCode,
  type ProviderCallDescription,
  type ProviderOutcome,
  reportUnknownProviderValue,
} from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

const refused = (reason: ErrorReason, code: GrpcCode): ProviderOutcome => ({ kind: "refused", reason, code });

/** Our request reached Midtrans in a form it cannot take: the adapter drifted, nothing was created. */
const drift = refused(ErrorReason.PROVIDER_ERROR, GrpcCode.FAILED_PRECONDITION);

/**
 * The one table from the `status_code` of Midtrans's error answers to outcomes: every code of
 * Midtrans's "Status Codes" reference ("Code 2xx" 202, "Code 4xx") and the 5xx the adapter has
 * met. 200, 201 and 407 with a transaction body are not errors: they are read as transactions
 * (midtrans-status.ts); they appear here only for answers without one. Nothing here is a default:
 * a code outside the table is reported as unknown (midtransOutcome).
 */
const TABLE: ReadonlyMap<string, ProviderOutcome> = new Map([
  // Denied by the bank or Midtrans's fraud detection.
  ["202", { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED }],
  // Our request failed Midtrans's validation (the adapter validates first, so this means drift).
  ["400", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
  // Server key refused: a configuration fault; nothing was created.
  ["401", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
  // *Unconfirmed*: the account has no access to this payment type.
  ["402", refused(ErrorReason.METHOD_NOT_SUPPORTED, GrpcCode.FAILED_PRECONDITION)],
  // Content not acceptable for the request headers, and HTTP method not allowed: drift.
  ["403", drift],
  ["404", { kind: "not-found" }],
  ["405", drift],
  // Duplicate order_id: the order_id is our idempotency key, so this means "already created".
  ["406", { kind: "duplicate" }],
  ["407", refused(ErrorReason.PAYMENT_EXPIRED, GrpcCode.FAILED_PRECONDITION)],
  // Wrong data type: a field Midtrans could not read, like a validation error.
  ["408", refused(ErrorReason.INVALID_FIELD, GrpcCode.INVALID_ARGUMENT)],
  // Too many transactions for the same card (cards only): nothing was created this time.
  ["409", refused(ErrorReason.PROVIDER_RATE_LIMITED, GrpcCode.RESOURCE_EXHAUSTED)],
  // *Unconfirmed*: the merchant account is deactivated.
  ["410", refused(ErrorReason.PROVIDER_AUTH_FAILED, GrpcCode.FAILED_PRECONDITION)],
  // The transaction's status cannot be modified (cancel after settlement, expiry or cancel).
  // token_id missing or timed out (cards only): never sent by a VA charge, so drift.
  ["411", drift],
  ["412", refused(ErrorReason.PAYMENT_NOT_CANCELABLE, GrpcCode.FAILED_PRECONDITION)],
  // The body did not parse: drift.
  ["413", drift],
  // A refund refused for the merchant's balance (refunds only; the adapter sends none).
  ["414", refused(ErrorReason.INSUFFICIENT_FUNDS, GrpcCode.FAILED_PRECONDITION)],
  // Rate limited before processing: nothing was created; the caller may retry later.
  ["429", refused(ErrorReason.PROVIDER_RATE_LIMITED, GrpcCode.RESOURCE_EXHAUSTED)],
  // 5xx: the reference publishes no per-code list the adapter could confirm; these four are the
  // HTTP meanings, *unconfirmed* as Midtrans status_codes.
  ["500", { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }],
  ["502", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  ["503", { kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }],
  ["504", { kind: "uncertain", reason: ErrorReason.PROVIDER_TIMEOUT }],
]);

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

/** Midtrans's error answer as the outcome reads it. */
export interface MidtransErrorAnswer {
  statusCode: string;
  statusMessage: string;
  validationMessages?: readonly string[];
}

/** Every status_code the table maps, for the vocabulary test and the README. */
export const MAPPED_STATUS_CODES: readonly string[] = [...TABLE.keys()];

/**
 * The outcome of an error answer. A code the table does not know is reported (one warning line and
 * a count, adapter-kit provider-vocabulary.ts) and is uncertain: Midtrans may or may not have acted.
 * A refusal names the field its validation messages are about.
 */
export function midtransOutcome(answer: MidtransErrorAnswer, orderId?: string): ProviderOutcome {
  const known = TABLE.get(answer.statusCode);
  if (known === undefined) {
    reportUnknownProviderValue({
      adapter: "adapter-va",
      field: "status_code",
      value: answer.statusCode,
      paymentId: orderId,
    });
  }
  const outcome = known ?? { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR };
  const field = fieldOfValidation(answer.validationMessages ?? []);
  return outcome.kind === "refused" && field !== undefined ? { ...outcome, field } : outcome;
}

/** The call as the kit's errors describe it: Midtrans's status_code and its words, validation messages included. */
export function midtransCall(what: string, answer: MidtransErrorAnswer): ProviderCallDescription {
  const details = answer.validationMessages?.length ? ` [${answer.validationMessages.join("; ")}]` : "";
  return {
    provider: "Midtrans",
    what,
    providerCode: answer.statusCode,
    providerMessage: `${answer.statusMessage}${details}`,
  };
}

/** The reason of a failure the outcome leaves open: an uncertain code's own (a 503's PROVIDER_UNAVAILABLE), else PROVIDER_ERROR. */
export function failureReason(outcome: ProviderOutcome): ErrorReason {
  return outcome.kind === "uncertain" ? outcome.reason : ErrorReason.PROVIDER_ERROR;
}
