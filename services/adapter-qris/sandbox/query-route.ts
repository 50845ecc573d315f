import { SnapServiceCode, snapCaseCode, snapTimestamp } from "@paymesh/snap";
import { readOriginalReference } from "./original-reference.ts";
import { amountView, paidTimeView, statusView } from "./payment-view.ts";
import { snapFailure } from "./snap-failure.ts";
import { transactionRoute } from "./transaction-route.ts";

const serviceCode = SnapServiceCode.qrMpmQuery;

/** `POST /v1.0/qr/qr-mpm-query`: the status of one QR payment, what a status resolver polls. */
export const queryRoute = transactionRoute({
  path: "/v1.0/qr/qr-mpm-query",
  endpoint: "qr-mpm-query",
  serviceCode,
  handle({ state }, { fields }) {
    const lookup = readOriginalReference(fields, serviceCode);
    // The service code of the transaction asked about: only QR MPM generate ("47") here.
    const queried = fields.string("serviceCode", 2);
    if (queried !== SnapServiceCode.qrMpmGenerate)
      throw snapFailure("invalidFieldFormat", serviceCode, "{serviceCode}");
    const merchantId = fields.optionalString("merchantId", 64);
    if (merchantId !== undefined && merchantId !== state.options.merchant.merchantId) {
      throw snapFailure("invalidMerchant", serviceCode);
    }
    const payment = state.payments.find(lookup);
    if (payment === undefined) throw snapFailure("transactionNotFound", serviceCode);
    return {
      responseCode: snapCaseCode("success", serviceCode),
      responseMessage: "Successful",
      originalReferenceNo: payment.referenceNo,
      originalPartnerReferenceNo: payment.partnerReferenceNo,
      originalExternalId: payment.externalId,
      serviceCode: queried,
      ...statusView(payment),
      paidTime: paidTimeView(payment),
      amount: amountView(payment),
      terminalId: payment.terminalId,
      // qrContent in the query answer is a simulator choice, *unconfirmed* in the public SNAP docs:
      // it lets an adapter rebuild the customer action after losing the generate answer.
      additionalInfo: { qrContent: payment.qrContent, validityPeriod: snapTimestamp(payment.validUntil) },
    };
  },
});
