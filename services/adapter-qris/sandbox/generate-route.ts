import { SnapServiceCode, snapCaseCode, snapTimestamp } from "@paymesh/snap";
import { magicOutcome } from "./magic-amounts.ts";
import type { SimPayment } from "./payment-store.ts";
import { dynamicQris } from "./qris-template.ts";
import { snapFailure } from "./snap-failure.ts";
import { transactionRoute } from "./transaction-route.ts";

const serviceCode = SnapServiceCode.qrMpmGenerate;

/**
 * `POST /v1.0/qr/qr-mpm-generate`: creates one dynamic QR (a charge). partnerReferenceNo is the
 * partner's idempotency key: a second generate with it is `409xx01` and creates nothing.
 */
export const generateRoute = transactionRoute({
  path: "/v1.0/qr/qr-mpm-generate",
  endpoint: "qr-mpm-generate",
  serviceCode,
  handle({ state, staticQris }, { fields, externalId }) {
    const partnerReferenceNo = fields.string("partnerReferenceNo", 64);
    const amountMinorUnits = fields.amount("amount");
    const merchantId = fields.string("merchantId", 64);
    const terminalId = fields.optionalString("terminalId", 16);
    const storeId = fields.optionalString("storeId", 64) ?? state.options.merchant.storeId;
    const validityPeriod = fields.optionalTimestamp("validityPeriod");
    fields.optionalObject("additionalInfo");
    if (merchantId !== state.options.merchant.merchantId) throw snapFailure("invalidMerchant", serviceCode);
    const now = state.options.clock();
    const validUntil =
      validityPeriod ?? new Date(now.getTime() + state.options.defaultValiditySeconds * 1000);
    if (validUntil.getTime() <= now.getTime())
      throw snapFailure("invalidFieldFormat", serviceCode, "{validityPeriod}");
    if (state.payments.hasPartnerReference(partnerReferenceNo)) {
      throw snapFailure("duplicatePartnerReference", serviceCode);
    }
    const magic = magicOutcome(amountMinorUnits);
    if (magic !== undefined && !magic.createsCharge)
      throw snapFailure(magic.caseName, serviceCode, magic.detail);
    let qrContent: string;
    try {
      qrContent = dynamicQris(staticQris, { amountMinorUnits, partnerReferenceNo, terminalId });
    } catch {
      // The amount does not fit QRIS tag 54 (13 characters).
      throw snapFailure("invalidFieldFormat", serviceCode, "{amount.value}");
    }
    const payment: SimPayment = {
      referenceNo: state.options.newId(),
      partnerReferenceNo,
      externalId,
      amountMinorUnits,
      currency: "IDR",
      merchantId,
      storeId,
      terminalId,
      qrContent,
      createdAt: now,
      validUntil,
      state: "pending",
    };
    state.payments.add(payment);
    state.records.countCharge();
    if (magic !== undefined) throw snapFailure(magic.caseName, serviceCode, magic.detail);
    return {
      responseCode: snapCaseCode("success", serviceCode),
      responseMessage: "Successful",
      referenceNo: payment.referenceNo,
      partnerReferenceNo,
      qrContent,
      merchantName: state.options.merchant.name,
      storeId,
      terminalId,
      additionalInfo: { validityPeriod: snapTimestamp(validUntil) },
    };
  },
});
