import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { parseDecimalAmount } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { QueryQrAnswer } from "./snap-wire.ts";

type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/**
 * SNAP latestTransactionStatus → Paymesh status. "01" initiated, "02" paying and "03" pending all
 * still wait for the customer to scan and pay, so they are REQUIRES_ACTION. A refund ("04")
 * happens after a success and is its own flow, so the payment itself stays SUCCEEDED.
 */
export function paymentStatusFromSnap(latestTransactionStatus: string, description = ""): PaymentStatus {
  switch (latestTransactionStatus) {
    case "00":
    case "04":
      return PaymentStatus.SUCCEEDED;
    case "01":
    case "02":
    case "03":
      return PaymentStatus.REQUIRES_ACTION;
    case "05":
      return PaymentStatus.CANCELED;
    case "06":
      // SNAP has no separate "expired" status; banks report an expired QR as failed with a description.
      return /expire/i.test(description) ? PaymentStatus.EXPIRED : PaymentStatus.FAILED;
    default:
      return PaymentStatus.UNSPECIFIED;
  }
}

/** The payment as the bank's query answer describes it. */
export function paymentFromQuery(body: QueryQrAnswer): ProviderPaymentInit {
  const status = paymentStatusFromSnap(body.latestTransactionStatus, body.transactionStatusDesc ?? "");
  const qrContent = body.additionalInfo?.qrContent;
  const failed = { message: body.transactionStatusDesc ?? "", providerCode: body.latestTransactionStatus };
  return {
    status,
    providerReference: body.originalReferenceNo,
    providerStatus: body.latestTransactionStatus,
    ...(qrContent === undefined || status !== PaymentStatus.REQUIRES_ACTION
      ? {}
      : { customerAction: { action: { case: "qris", value: { qrString: qrContent } } } }),
    ...(body.amount === undefined
      ? {}
      : {
          amount: {
            currency: body.amount.currency,
            minorUnits: parseDecimalAmount(body.amount.value, body.amount.currency),
          },
        }),
    ...expiryOf(body.additionalInfo?.validityPeriod),
    ...(status === PaymentStatus.FAILED
      ? { failure: { reason: ErrorReason.PROVIDER_DECLINED, ...failed } }
      : {}),
    ...(status === PaymentStatus.EXPIRED
      ? { failure: { reason: ErrorReason.PAYMENT_EXPIRED, ...failed } }
      : {}),
  };
}

/** `expiresAt` from a SNAP `validityPeriod`, when it is a readable date. */
export function expiryOf(validityPeriod: string | undefined): {
  expiresAt?: ReturnType<typeof timestampFromDate>;
} {
  if (validityPeriod === undefined) return {};
  const date = new Date(validityPeriod);
  return Number.isNaN(date.getTime()) ? {} : { expiresAt: timestampFromDate(date) };
}
