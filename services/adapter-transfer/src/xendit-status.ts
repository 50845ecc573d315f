import { PaymentStatus } from "@paymesh/proto";

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
