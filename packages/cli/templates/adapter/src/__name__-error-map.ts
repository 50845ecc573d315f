import { GrpcCode, type ProviderOutcome } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import type { WireError } from "./__name__-wire.ts";

/**
 * The one table from the provider's error codes to what they mean for the payment. The kit turns
 * an outcome into the PaymeshError the router expects (outcomeError); a code missing here is
 * uncertain, never a guess that nothing happened.
 */
const CODES: Readonly<Record<string, ProviderOutcome>> = {
  /** The request is wrong; the body names the field (FIELDS below). Nothing was created. */
  invalid_field: { kind: "refused", reason: ErrorReason.INVALID_FIELD },
  invalid_request: { kind: "refused", reason: ErrorReason.INVALID_FIELD },
  /** Our API key was refused: a configuration fault, nothing was created. */
  unauthorized: {
    kind: "refused",
    reason: ErrorReason.PROVIDER_AUTH_FAILED,
    code: GrpcCode.FAILED_PRECONDITION,
  },
  /** The provider declined the payment itself: a FAILED payment, not an error. */
  declined: { kind: "declined", reason: ErrorReason.PROVIDER_DECLINED },
  /** The reference (the payment id) is taken: the payment exists, read it back. */
  duplicate_reference: { kind: "duplicate" },
  not_found: { kind: "not-found" },
  /** Still 429 after the client's retries: nothing was created, the same request may come later. */
  rate_limited: {
    kind: "refused",
    reason: ErrorReason.PROVIDER_RATE_LIMITED,
    code: GrpcCode.RESOURCE_EXHAUSTED,
    retryLater: true,
  },
  internal_error: { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR },
};

/** The provider's field names → the CreatePayment fields Paymesh names in INVALID_ARGUMENT. */
const FIELDS: Readonly<Record<string, string>> = {
  reference: "payment_id",
  amount: "amount",
  "amount.value": "amount.minor_units",
  "amount.currency": "amount.currency",
  bank: "virtual_account.bank",
  customer_name: "virtual_account.customer_name",
  description: "description",
};

/** What an error answer means; `undefined` is a body not in the provider's error shape. */
export function outcomeOf(error: WireError | undefined): ProviderOutcome {
  const row = error !== undefined && Object.hasOwn(CODES, error.code) ? CODES[error.code] : undefined;
  if (row === undefined) return { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR };
  if (row.kind !== "refused" || error?.field === undefined) return row;
  const field = Object.hasOwn(FIELDS, error.field) ? FIELDS[error.field] : undefined;
  return { ...row, field: field ?? error.field };
}
