import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { parseDecimalAmount } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, type PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import { virtualAccountOf } from "./midtrans-banks.ts";
import { parseAnswerTime } from "./midtrans-time.ts";
import type { MidtransTransaction } from "./midtrans-wire.ts";

/**
 * Midtrans `transaction_status` → Paymesh status.
 * - `pending`: the VA is issued and waits for the transfer; the VA number is the customer's action.
 * - `settlement`: paid. `capture` is the card equivalent; with fraud_status `challenge` the
 *   merchant must still decide, so it is not yet a success.
 * - `refund`, `partial_refund`, `chargeback`, `partial_chargeback`: the payment did succeed; the
 *   money going back is its own flow, so the payment itself stays SUCCEEDED.
 * - `authorize`: a card pre-authorization, money held but not captured: still in progress.
 * - `deny` (bank or fraud detection) and `failure` (Midtrans processing error): FAILED.
 * - Anything else: PROCESSING, never a guessed terminal state; the status resolver keeps asking.
 */
export function paymentStatusFromMidtrans(transactionStatus: string, fraudStatus = ""): PaymentStatus {
  switch (transactionStatus) {
    case "pending":
      return PaymentStatus.REQUIRES_ACTION;
    case "capture":
      return fraudStatus === "challenge" ? PaymentStatus.PROCESSING : PaymentStatus.SUCCEEDED;
    case "settlement":
    case "refund":
    case "partial_refund":
    case "chargeback":
    case "partial_chargeback":
      return PaymentStatus.SUCCEEDED;
    case "expire":
      return PaymentStatus.EXPIRED;
    case "cancel":
      return PaymentStatus.CANCELED;
    case "deny":
    case "failure":
      return PaymentStatus.FAILED;
    default:
      return PaymentStatus.PROCESSING;
  }
}

const FAILURE_REASONS: Readonly<Record<string, ErrorReason>> = {
  deny: ErrorReason.PROVIDER_DECLINED,
  failure: ErrorReason.PROVIDER_ERROR,
  expire: ErrorReason.PAYMENT_EXPIRED,
};

/** Why a transaction ended badly, in Paymesh terms with Midtrans's status_code as the provider code. */
export function failureFromMidtrans(transaction: {
  transaction_status: string;
  status_code: string;
  status_message?: string;
}): MessageInitShape<typeof PaymentFailureSchema> | undefined {
  const reason = FAILURE_REASONS[transaction.transaction_status];
  if (reason === undefined) return undefined;
  return {
    reason,
    message: transaction.status_message || `Midtrans transaction_status ${transaction.transaction_status}`,
    providerCode: transaction.status_code,
  };
}

/** A Midtrans transaction as Paymesh's ProviderPayment; a pending VA's number is the customer action. */
export function paymentFromTransaction(
  transaction: MidtransTransaction,
): MessageInitShape<typeof adapterv1.ProviderPaymentSchema> {
  const status = paymentStatusFromMidtrans(transaction.transaction_status, transaction.fraud_status);
  const account = virtualAccountOf(transaction);
  const expiresAt = parseAnswerTime(transaction.expiry_time);
  const failure = failureFromMidtrans(transaction);
  return {
    status,
    providerReference: transaction.transaction_id,
    providerStatus: transaction.transaction_status,
    // Midtrans VA charges are IDR only; gross_amount is "25000.00".
    amount: { currency: "IDR", minorUnits: parseDecimalAmount(transaction.gross_amount, "IDR") },
    ...(status === PaymentStatus.REQUIRES_ACTION && account !== undefined
      ? { customerAction: { action: { case: "virtualAccount", value: account } } }
      : {}),
    ...(expiresAt === undefined ? {} : { expiresAt: timestampFromDate(expiresAt) }),
    ...(failure === undefined ? {} : { failure }),
  };
}
