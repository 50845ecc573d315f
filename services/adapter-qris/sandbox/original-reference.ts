import type { FieldReader } from "./body-fields.ts";
import type { PaymentLookup } from "./payment-store.ts";
import { snapFailure } from "./snap-failure.ts";

/**
 * Reads `originalPartnerReferenceNo` and/or `originalReferenceNo`, how SNAP query and cancel name
 * the transaction they are about. At least one is mandatory; when both are given they must name the
 * same payment, or it is "not found".
 */
export function readOriginalReference(fields: FieldReader, serviceCode: string): PaymentLookup {
  const partnerReferenceNo = fields.optionalString("originalPartnerReferenceNo", 64);
  const referenceNo = fields.optionalString("originalReferenceNo", 64);
  if (partnerReferenceNo === undefined && referenceNo === undefined) {
    throw snapFailure("missingMandatoryField", serviceCode, "{originalPartnerReferenceNo}");
  }
  return { partnerReferenceNo, referenceNo };
}
