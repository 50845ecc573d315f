import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { invalidField, missingField, validateMoney } from "@paymesh/adapter-kit";
import {
  type CancelPaymentRequest,
  type CreatePaymentRequest,
  type CreateQuoteRequest,
  type ListPaymentsRequest,
  PaymentMethodType,
  PaymentStatus,
  VirtualAccountBank,
} from "@paymesh/proto";

/** Limits on caller-supplied fields (the same bounds Stripe documents for its metadata). */
export const LIMITS = {
  idempotencyKey: 255,
  merchantReference: 64,
  description: 500,
  metadataKeys: 50,
  metadataKey: 40,
  metadataValue: 500,
  pageSize: 100,
  cancelReason: 500,
  /**
   * The furthest expires_at may lie ahead. No adapter's Describe declares a longer one (the proto has
   * no field for it), and none of the providers keeps a QR or a virtual account open longer.
   */
  expiresWithinMs: 30 * 24 * 60 * 60 * 1000,
} as const;

/** google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. */
const TIMESTAMP_MIN_SECONDS = -62_135_596_800n;
const TIMESTAMP_MAX_SECONDS = 253_402_300_799n;

/**
 * A Timestamp as a Date, refused unless it is one google.protobuf.Timestamp allows: seconds within
 * years 1 to 9999, nanos 0 to 999,999,999. Anything else has no meaning, and no Date or database
 * column can hold it faithfully.
 */
export function checkTimestamp(timestamp: Timestamp, field: string): Date {
  if (timestamp.seconds < TIMESTAMP_MIN_SECONDS || timestamp.seconds > TIMESTAMP_MAX_SECONDS) {
    throw invalidField(field, "must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
  }
  if (!Number.isInteger(timestamp.nanos) || timestamp.nanos < 0 || timestamp.nanos > 999_999_999) {
    throw invalidField(field, "nanos must be between 0 and 999999999");
  }
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000));
}

/**
 * Checks a CreatePayment request before anything is written or sent. Provider-specific rules
 * (which banks, which limits) are the adapter's; the router checks shape and bounds.
 */
export function validateCreatePayment(request: CreatePaymentRequest, now: Date): void {
  if (request.idempotencyKey === "") throw missingField("idempotency_key");
  if (request.idempotencyKey.length > LIMITS.idempotencyKey) {
    throw invalidField("idempotency_key", `must be at most ${LIMITS.idempotencyKey} characters`);
  }
  validateMoney(request.amount, "amount");
  maxLength(request.merchantReference, LIMITS.merchantReference, "merchant_reference");
  maxLength(request.description, LIMITS.description, "description");
  const keys = Object.keys(request.metadata);
  if (keys.length > LIMITS.metadataKeys)
    throw invalidField("metadata", `at most ${LIMITS.metadataKeys} keys`);
  for (const key of keys) {
    if (key === "" || key.length > LIMITS.metadataKey) {
      throw invalidField(
        "metadata",
        `key "${key.slice(0, 50)}" must be 1 to ${LIMITS.metadataKey} characters`,
      );
    }
    maxLength(request.metadata[key] ?? "", LIMITS.metadataValue, `metadata.${key}`);
  }
  if (request.expiresAt !== undefined) {
    const expiresAt = checkTimestamp(request.expiresAt, "expires_at");
    if (expiresAt.getTime() <= now.getTime()) throw invalidField("expires_at", "must be in the future");
    if (expiresAt.getTime() > now.getTime() + LIMITS.expiresWithinMs) {
      throw invalidField("expires_at", `must be at most ${LIMITS.expiresWithinMs / 86_400_000} days ahead`);
    }
  }
  const method = request.method;
  switch (method.case) {
    case undefined:
      throw missingField("method");
    case "virtualAccount":
      if (method.value.bank === VirtualAccountBank.UNSPECIFIED) throw missingField("virtual_account.bank");
      if (!(method.value.bank in VirtualAccountBank))
        throw invalidField("virtual_account.bank", "unknown bank");
      break;
    case "bankTransfer":
      if (method.value.bankCode === "") throw missingField("bank_transfer.bank_code");
      if (method.value.accountNumber === "") throw missingField("bank_transfer.account_number");
      if (!/^\d{5,20}$/.test(method.value.accountNumber)) {
        throw invalidField("bank_transfer.account_number", "must be 5 to 20 digits");
      }
      if (method.value.accountHolderName.trim() === "")
        throw missingField("bank_transfer.account_holder_name");
      break;
    case "remittance":
      if (method.value.quoteId === "") throw missingField("remittance.quote_id");
      if (method.value.recipient === undefined) throw missingField("remittance.recipient");
      break;
    case "qris":
      maxLength(method.value.terminalLabel, 25, "qris.terminal_label");
      break;
  }
}

/** Checks a payment id argument. */
export function validatePaymentId(paymentId: string, field = "payment_id"): void {
  if (paymentId === "") throw missingField(field);
  if (!/^pay_[0-9a-z]{26}$/.test(paymentId))
    throw invalidField(field, `"${paymentId.slice(0, 40)}" is not a payment id`);
}

/** Checks ListPayments arguments; returns the page size to use. */
export function validateListPayments(request: ListPaymentsRequest): number {
  if (request.pageSize < 0 || request.pageSize > LIMITS.pageSize) {
    throw invalidField("page_size", `must be between 0 and ${LIMITS.pageSize}`);
  }
  for (const status of request.statuses) {
    if (status === PaymentStatus.UNSPECIFIED || !(status in PaymentStatus))
      throw invalidField("statuses", `unknown status ${status}`);
  }
  for (const method of request.methods) {
    if (method === PaymentMethodType.UNSPECIFIED || !(method in PaymentMethodType))
      throw invalidField("methods", `unknown method ${method}`);
  }
  if (request.createdAfter !== undefined) checkTimestamp(request.createdAfter, "created_after");
  if (request.createdBefore !== undefined) checkTimestamp(request.createdBefore, "created_before");
  return request.pageSize === 0 ? 20 : request.pageSize;
}

/** Checks CancelPayment arguments. */
export function validateCancelPayment(request: CancelPaymentRequest): void {
  validatePaymentId(request.paymentId);
  maxLength(request.reason, LIMITS.cancelReason, "reason");
}

/** Checks CreateQuote arguments. */
export function validateCreateQuote(request: CreateQuoteRequest): void {
  if (!/^[A-Z]{3}$/.test(request.sourceCurrency))
    throw invalidField("source_currency", "must be an ISO 4217 code");
  if (!/^[A-Z]{3}$/.test(request.targetCurrency))
    throw invalidField("target_currency", "must be an ISO 4217 code");
  if (request.amount.case === undefined) throw missingField("amount");
  const field = request.amount.case === "sourceAmount" ? "source_amount" : "target_amount";
  const money = validateMoney(request.amount.value, field);
  const expected = request.amount.case === "sourceAmount" ? request.sourceCurrency : request.targetCurrency;
  if (money.currency !== expected) throw invalidField(`${field}.currency`, `must be ${expected}`);
}

function maxLength(value: string, max: number, field: string): void {
  if (value.length > max) throw invalidField(field, `must be at most ${max} characters`);
}
