import { signatureKey } from "./signature.ts";
import type { SimStatus, SimTransaction } from "./transaction-store.ts";
import { wibDateTime } from "./wib-time.ts";

/** The `status_code` Midtrans reports alongside each transaction status. */
export const STATUS_CODES: Readonly<Record<SimStatus, string>> = {
  pending: "201",
  settlement: "200",
  cancel: "200",
  deny: "202",
  expire: "407",
};

/**
 * The status_code Midtrans pairs with each published transaction_status when a test sets one
 * without a code: the simulator's own four above, 200 for the rest (Midtrans "Status Codes",
 * "Code 2xx": 200 covers authorize, capture, settlement, cancel); `failure` 202 is *unconfirmed*.
 */
export const REPORTED_STATUS_CODES: Readonly<Record<string, string>> = {
  ...STATUS_CODES,
  failure: "202",
};

/** The status_code, transaction_status and fraud_status a transaction reports now. */
function reportedOf(transaction: SimTransaction) {
  return (
    transaction.reported ?? {
      status_code: STATUS_CODES[transaction.status],
      transaction_status: transaction.status,
      fraud_status: "accept",
    }
  );
}

/** "25000.00": Midtrans writes gross_amount as a string with two decimals in every answer. */
export function grossAmountText(transaction: SimTransaction): string {
  return `${transaction.grossAmount}.00`;
}

/**
 * The fields every answer about a transaction shares (charge, status, cancel, notification).
 * The VA number comes in two shapes (docs/providers.md): BCA, BNI and BRI as
 * `va_numbers: [{bank, va_number}]`, Permata as a flat `permata_va_number`.
 */
export function transactionView(transaction: SimTransaction, merchantId: string): Record<string, unknown> {
  const reported = reportedOf(transaction);
  const view: Record<string, unknown> = {
    status_code: reported.status_code,
    transaction_id: transaction.transactionId,
    order_id: transaction.orderId,
    merchant_id: merchantId,
    gross_amount: grossAmountText(transaction),
    currency: "IDR",
    payment_type: "bank_transfer",
    transaction_time: wibDateTime(transaction.createdAt),
    transaction_status: reported.transaction_status,
    fraud_status: reported.fraud_status,
  };
  if (transaction.bank === "permata") view.permata_va_number = transaction.vaNumber;
  else view.va_numbers = [{ bank: transaction.bank, va_number: transaction.vaNumber }];
  // expiry_time appears in current Midtrans answers; the field name is *unconfirmed* in docs/providers.md.
  view.expiry_time = wibDateTime(transaction.expiresAt);
  if (transaction.status === "settlement") {
    view.settlement_time = wibDateTime(transaction.statusChangedAt);
    view.payment_amounts = [
      { paid_at: wibDateTime(transaction.statusChangedAt), amount: grossAmountText(transaction) },
    ];
  }
  return view;
}

/** `GET /v2/{order_id}/status`: the view plus the message and the same signature_key a notification has. */
export function statusAnswer(transaction: SimTransaction, merchantId: string, serverKey: string) {
  const view = transactionView(transaction, merchantId);
  return {
    ...view,
    status_message: "Success, transaction is found",
    signature_key: signatureOf(transaction, serverKey),
  };
}

/**
 * A notification body for the transaction's current state, minified. Built once per event, so
 * retries and duplicates resend the same bytes.
 */
export function notificationBody(transaction: SimTransaction, merchantId: string, serverKey: string): string {
  return JSON.stringify({
    ...transactionView(transaction, merchantId),
    status_message: "midtrans payment notification",
    signature_key: signatureOf(transaction, serverKey),
  });
}

function signatureOf(transaction: SimTransaction, serverKey: string): string {
  return signatureKey(
    transaction.orderId,
    reportedOf(transaction).status_code,
    grossAmountText(transaction),
    serverKey,
  );
}
