import { timestampDate } from "@bufbuild/protobuf/wkt";
import { formatMinorUnits } from "@paymesh/adapter-kit";
import { type Payment, PaymentStatus } from "@paymesh/proto";

/** A status as the CLI prints it in lines for people: `succeeded`, `requires_action`. */
export function statusName(status: PaymentStatus): string {
  return (PaymentStatus[status] ?? String(status)).toLowerCase();
}

/** A method as the CLI prints it in lines for people: `qris`, `virtual_account`, `bank_transfer`. */
export function methodName(payment: Payment): string {
  return (payment.method.case ?? "").replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** One payment on one line: id, status, amount at its currency's exponent, method, creation time. */
export function paymentLine(payment: Payment): string {
  const amount =
    payment.amount === undefined
      ? ""
      : `${formatMinorUnits(payment.amount.minorUnits, payment.amount.currency)} ${payment.amount.currency}`;
  const created = payment.createdAt === undefined ? "" : timestampDate(payment.createdAt).toISOString();
  const flag = payment.outcomeUnknown ? " (outcome unknown)" : "";
  return `${payment.id}  ${statusName(payment.status).padEnd(15)} ${amount.padStart(18)}  ${methodName(payment).padEnd(15)} ${created}${flag}`;
}

/** True once the payment can no longer change: succeeded, failed, canceled. */
export function isFinal(payment: Payment): boolean {
  return (
    payment.status === PaymentStatus.SUCCEEDED ||
    payment.status === PaymentStatus.FAILED ||
    payment.status === PaymentStatus.CANCELED
  );
}
