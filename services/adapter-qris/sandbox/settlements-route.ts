import { header } from "@paymesh/sandbox-kit";
import { SnapHeader, snapDate, snapResponseCode } from "@paymesh/snap";
import { amountView, paidTimeView } from "./payment-view.ts";
import { snapFailure } from "./snap-failure.ts";
import type { SnapRoute } from "./snap-route.ts";

// Not a SNAP API, so it has no SNAP service code; "00" marks simulator-only answers.
const serviceCode = "00";

/**
 * `GET /v1.0/qr/settlements?date=yyyy-MM-dd` — NOT SNAP, simulator-only. Banks deliver QRIS
 * settlement as reconciliation files; this serves the same facts (paid QRs of a +07:00 business day)
 * as JSON so the adapter's ListSettlements has something to read. Only a bearer token is
 * required. The fee is a flat 0.7% MDR rounded down (the regular QRIS rate; UMI tiers not modelled).
 */
export const settlementsRoute: SnapRoute = {
  method: "GET",
  path: "/v1.0/qr/settlements",
  endpoint: "settlements",
  serviceCode,
  transactional: false,
  handle({ state }, request, _rawBody, url) {
    const token = /^Bearer (\S+)$/i.exec(header(request, SnapHeader.authorization) ?? "")?.[1];
    if (token === undefined || !state.tokens.isValid(token)) throw snapFailure("invalidToken", serviceCode);
    const date = url.searchParams.get("date");
    if (date === null) throw snapFailure("missingMandatoryField", serviceCode, "{date}");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw snapFailure("invalidFieldFormat", serviceCode, "{date}");
    const settlements = state.payments
      .list()
      .filter((payment) => payment.paidAt !== undefined && snapDate(payment.paidAt) === date)
      .map((payment) => ({
        referenceNo: payment.referenceNo,
        partnerReferenceNo: payment.partnerReferenceNo,
        amount: amountView(payment),
        feeAmount: amountView({ ...payment, amountMinorUnits: (payment.amountMinorUnits * 7n) / 1000n }),
        paidTime: paidTimeView(payment),
      }));
    return {
      responseCode: snapResponseCode(200, serviceCode, "00"),
      responseMessage: "Successful",
      date,
      settlements,
    };
  },
};
