import { formatSnapAmount, type SnapAmount, SnapTransactionStatus, snapTimestamp } from "@paymesh/snap";
import type { SimPayment } from "./payment-store.ts";

/** A payment's status in SNAP vocabulary. */
export interface SnapStatusView {
  latestTransactionStatus: string;
  transactionStatusDesc: string;
}

/**
 * SNAP status of a simulated payment. Expiry has no status of its own in SNAP: the simulator
 * reports an expired QR as "06" (failed) with the description "Expired", so a partner can tell it
 * from a decline by the description if it wants to. A simulator choice; banks differ. A status a
 * test set (`POST /sim/status`) is reported instead, so every published value can be produced.
 */
export function statusView(payment: SimPayment): SnapStatusView {
  if (payment.reported !== undefined) return payment.reported;
  switch (payment.state) {
    case "pending":
      return { latestTransactionStatus: SnapTransactionStatus.pending, transactionStatusDesc: "Pending" };
    case "paid":
      return { latestTransactionStatus: SnapTransactionStatus.success, transactionStatusDesc: "Success" };
    case "cancelled":
      return { latestTransactionStatus: SnapTransactionStatus.cancelled, transactionStatusDesc: "Cancelled" };
    case "expired":
      return { latestTransactionStatus: SnapTransactionStatus.failed, transactionStatusDesc: "Expired" };
  }
}

/** The payment's amount as a SNAP amount object. */
export function amountView(payment: SimPayment): SnapAmount {
  return formatSnapAmount(payment.amountMinorUnits, payment.currency);
}

/** `paidTime` as a SNAP timestamp, when paid. */
export function paidTimeView(payment: SimPayment): string | undefined {
  return payment.paidAt === undefined ? undefined : snapTimestamp(payment.paidAt);
}
