import { ErrorReason, PaymentStatus } from "@paymesh/proto";

/** What one provider status word means for a payment. */
interface Meaning {
  status: PaymentStatus;
  /** Why a payment in this status did not succeed. */
  failure?: ErrorReason;
}

/** The provider's status words. Add every word the provider documents. */
const STATUSES: Readonly<Record<string, Meaning>> = {
  /** Created; the customer has yet to pay into the virtual account. */
  pending: { status: PaymentStatus.REQUIRES_ACTION },
  paid: { status: PaymentStatus.SUCCEEDED },
  failed: { status: PaymentStatus.FAILED, failure: ErrorReason.PROVIDER_DECLINED },
  expired: { status: PaymentStatus.EXPIRED, failure: ErrorReason.PAYMENT_EXPIRED },
};

/** A word the table does not know is never a terminal guess: the payment stays in flight. */
const UNKNOWN: Meaning = { status: PaymentStatus.PROCESSING };

/** The Paymesh status of a provider status word, with the failure to report when it has one. */
export function statusOf(providerStatus: string): {
  status: PaymentStatus;
  failure?: { reason: ErrorReason; message: string; providerCode: string };
} {
  const meaning = (Object.hasOwn(STATUSES, providerStatus) ? STATUSES[providerStatus] : undefined) ?? UNKNOWN;
  if (meaning.failure === undefined) return { status: meaning.status };
  const failure = {
    reason: meaning.failure,
    message: `payment ${providerStatus}`,
    providerCode: providerStatus,
  };
  return { status: meaning.status, failure };
}
