import { SnapServiceCode, SnapTransactionStatus, snapCaseCode, snapTimestamp } from "@paymesh/snap";
import { readOriginalReference } from "./original-reference.ts";
import { snapFailure } from "./snap-failure.ts";
import { transactionRoute } from "./transaction-route.ts";

const serviceCode = SnapServiceCode.qrMpmCancel;

/**
 * `POST /v1.0/qr/qr-mpm-cancel`: withdraws an unpaid QR. Cancelling twice answers success again
 * (a retried cancel must not look like a failure). A paid QR is `403xx15` Transaction Not Permitted
 * and an expired one `403xx00` Transaction Expired: both codes from the SNAP standard list, not
 * docs/providers.md (simulator choice).
 */
export const cancelRoute = transactionRoute({
  path: "/v1.0/qr/qr-mpm-cancel",
  endpoint: "qr-mpm-cancel",
  serviceCode,
  handle({ state }, { fields }) {
    const lookup = readOriginalReference(fields, serviceCode);
    const merchantId = fields.string("merchantId", 64);
    fields.optionalString("reason", 256);
    if (merchantId !== state.options.merchant.merchantId) throw snapFailure("invalidMerchant", serviceCode);
    const payment = state.payments.find(lookup);
    if (payment === undefined) throw snapFailure("transactionNotFound", serviceCode);
    if (payment.state === "paid") {
      throw snapFailure("transactionNotPermitted", serviceCode, "[Transaction already paid]");
    }
    if (payment.state === "expired") throw snapFailure("transactionExpired", serviceCode);
    if (payment.state === "pending") {
      payment.state = "cancelled";
      payment.cancelledAt = state.options.clock();
    }
    const cancelTime = snapTimestamp(payment.cancelledAt ?? state.options.clock());
    return {
      responseCode: snapCaseCode("success", serviceCode),
      responseMessage: "Successful",
      originalReferenceNo: payment.referenceNo,
      originalPartnerReferenceNo: payment.partnerReferenceNo,
      cancelTime,
      transactionDate: snapTimestamp(payment.createdAt),
      latestTransactionStatus: SnapTransactionStatus.cancelled,
      transactionStatusDesc: "Cancelled",
    };
  },
});
