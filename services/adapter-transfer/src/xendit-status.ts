import type { MessageInitShape } from "@bufbuild/protobuf";
import { type adapterv1, PaymentStatus } from "@paymesh/proto";
import { xenditFailure } from "./xendit-error-map.ts";
import type { Disbursement } from "./xendit-wire.ts";

/** A ProviderPayment as the adapter answers it. */
export type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/**
 * Xendit disbursement status → Paymesh status. A payout has no customer step: PENDING means the
 * money is on its way through the bank network, which is PROCESSING. COMPLETED and FAILED are
 * final on Xendit and terminal here. Anything else is UNSPECIFIED, which the caller must not
 * treat as an answer.
 */
export function paymentStatusFromXendit(status: string): PaymentStatus {
  switch (status) {
    case "PENDING":
      return PaymentStatus.PROCESSING;
    case "COMPLETED":
      return PaymentStatus.SUCCEEDED;
    case "FAILED":
      return PaymentStatus.FAILED;
    default:
      return PaymentStatus.UNSPECIFIED;
  }
}

/**
 * A Xendit disbursement as a ProviderPayment. A status Xendit may add later is reported as
 * PROCESSING with the raw word in provider_status: a payout is never called final on a guess.
 */
export function fromDisbursement(disbursement: Disbursement): ProviderPaymentInit {
  const mapped = paymentStatusFromXendit(disbursement.status);
  const status = mapped === PaymentStatus.UNSPECIFIED ? PaymentStatus.PROCESSING : mapped;
  return {
    status,
    providerReference: disbursement.id,
    providerStatus: disbursement.status,
    amount: { currency: "IDR", minorUnits: disbursement.amount * 100n },
    ...(status === PaymentStatus.FAILED ? { failure: xenditFailure(disbursement.failureCode) } : {}),
  };
}
