import { PaymentStatus } from "@paymesh/proto";

/**
 * SNAP latestTransactionStatus → Paymesh status. "01" initiated, "02" paying and "03" pending all
 * still wait for the customer to scan and pay, so they are REQUIRES_ACTION. A refund ("04")
 * happens after a success and is its own flow, so the payment itself stays SUCCEEDED.
 */
export function paymentStatusFromSnap(latestTransactionStatus: string, description = ""): PaymentStatus {
  switch (latestTransactionStatus) {
    case "00":
    case "04":
      return PaymentStatus.SUCCEEDED;
    case "01":
    case "02":
    case "03":
      return PaymentStatus.REQUIRES_ACTION;
    case "05":
      return PaymentStatus.CANCELED;
    case "06":
      // SNAP has no separate "expired" status; banks report an expired QR as failed with a description.
      return /expire/i.test(description) ? PaymentStatus.EXPIRED : PaymentStatus.FAILED;
    default:
      return PaymentStatus.UNSPECIFIED;
  }
}
