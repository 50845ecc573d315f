import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { parseDecimalAmount, reportUnknownProviderValue } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, type PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import { virtualAccountOf } from "./midtrans-banks.ts";
import { parseAnswerTime } from "./midtrans-time.ts";
import type { MidtransTransaction } from "./midtrans-wire.ts";

/**
 * Midtrans `transaction_status` → Paymesh status, for every value of Midtrans's "Transaction
 * Status" reference and "Transaction Status Cycle" page.
 * - `pending`: the VA is issued and waits for the transfer; the VA number is the customer's action.
 * - `settlement`: paid. `capture` is the card equivalent, read with `fraud_status` (below).
 * - `refund`, `partial_refund`, `chargeback`, `partial_chargeback`: the payment did succeed; the
 *   money going back is its own flow, so the payment itself stays SUCCEEDED.
 * - `authorize`: a card pre-authorization, money held but not captured: still in progress.
 * - `deny` (bank or fraud detection) and `failure` (Midtrans processing error): FAILED.
 * - Anything else is unknown: reported, and UNSPECIFIED (see paymentStatusFromMidtrans).
 */
const STATUSES: ReadonlyMap<string, PaymentStatus> = new Map([
  ["pending", PaymentStatus.REQUIRES_ACTION],
  ["settlement", PaymentStatus.SUCCEEDED],
  ["capture", PaymentStatus.SUCCEEDED],
  ["refund", PaymentStatus.SUCCEEDED],
  ["partial_refund", PaymentStatus.SUCCEEDED],
  ["chargeback", PaymentStatus.SUCCEEDED],
  ["partial_chargeback", PaymentStatus.SUCCEEDED],
  ["authorize", PaymentStatus.PROCESSING],
  ["expire", PaymentStatus.EXPIRED],
  ["cancel", PaymentStatus.CANCELED],
  ["deny", PaymentStatus.FAILED],
  ["failure", PaymentStatus.FAILED],
]);

/** Every transaction_status the adapter knows, for the vocabulary test and the README. */
export const KNOWN_TRANSACTION_STATUSES: readonly string[] = [...STATUSES.keys()];

/**
 * `fraud_status` values (Midtrans "Transaction Status" / HTTP notification docs): `accept`,
 * `challenge` (the merchant must still decide) and `deny`. Empty is allowed: not every payment
 * type sends one.
 */
export const KNOWN_FRAUD_STATUSES: readonly string[] = ["accept", "challenge", "deny"];

/**
 * The Paymesh status of a transaction_status (and, for a `capture`, its fraud_status: `challenge`
 * is PROCESSING, `deny` FAILED). An unknown transaction_status, or an unknown fraud_status, is
 * reported (one warning line and a count, adapter-kit provider-vocabulary.ts) and never folded
 * into a known status: UNSPECIFIED, with the raw transaction_status as provider_status, for the
 * router's status resolver. An unknown fraud_status on anything but a capture changes nothing but
 * is still reported.
 */
export function paymentStatusFromMidtrans(
  transactionStatus: string,
  fraudStatus = "",
  orderId?: string,
): PaymentStatus {
  const fraudKnown = fraudStatus === "" || KNOWN_FRAUD_STATUSES.includes(fraudStatus);
  if (!fraudKnown) unknown("fraud_status", fraudStatus, orderId);
  const status = STATUSES.get(transactionStatus);
  if (status === undefined) {
    unknown("transaction_status", transactionStatus, orderId);
    return PaymentStatus.UNSPECIFIED;
  }
  if (transactionStatus !== "capture") return status;
  if (!fraudKnown) return PaymentStatus.UNSPECIFIED;
  if (fraudStatus === "challenge") return PaymentStatus.PROCESSING;
  if (fraudStatus === "deny") return PaymentStatus.FAILED;
  return status;
}

function unknown(field: string, value: string, orderId: string | undefined): void {
  reportUnknownProviderValue({ adapter: "adapter-va", field, value, paymentId: orderId });
}

const FAILURE_REASONS: Readonly<Record<string, ErrorReason>> = {
  deny: ErrorReason.PROVIDER_DECLINED,
  failure: ErrorReason.PROVIDER_ERROR,
  expire: ErrorReason.PAYMENT_EXPIRED,
};

/**
 * Why a transaction ended badly, in Paymesh terms with Midtrans's status_code as the provider code.
 * A capture that fraud detection denied is a decline.
 */
export function failureFromMidtrans(transaction: {
  transaction_status: string;
  status_code: string;
  status_message?: string;
  fraud_status?: string;
}): MessageInitShape<typeof PaymentFailureSchema> | undefined {
  const deniedCapture = transaction.transaction_status === "capture" && transaction.fraud_status === "deny";
  const reason = deniedCapture
    ? ErrorReason.PROVIDER_DECLINED
    : Object.hasOwn(FAILURE_REASONS, transaction.transaction_status)
      ? FAILURE_REASONS[transaction.transaction_status]
      : undefined;
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
  const status = paymentStatusFromMidtrans(
    transaction.transaction_status,
    transaction.fraud_status,
    transaction.order_id,
  );
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
