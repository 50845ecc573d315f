import type { MessageInitShape } from "@bufbuild/protobuf";
import { reportUnknownProviderValue } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import { type ReadingContext, xenditFailure } from "./xendit-error-map.ts";
import type { Disbursement } from "./xendit-wire.ts";

/** A ProviderPayment as the adapter answers it. */
export type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/**
 * Xendit disbursement status → Paymesh status: the three values Xendit's API reference and its
 * "Disbursement Errors" page give a single disbursement. A payout has no customer step: PENDING means
 * the money is on its way through the bank network, which is PROCESSING. COMPLETED and FAILED are
 * final on Xendit and terminal here. Anything else is UNSPECIFIED (see {@link readDisbursement}).
 */
export function paymentStatusFromXendit(status: string): PaymentStatus {
  switch (status) {
    case "PENDING":
      return PaymentStatus.PROCESSING;
    case "COMPLETED":
      return PaymentStatus.SUCCEEDED;
    case "FAILED":
      return PaymentStatus.FAILED;
    default:
      return PaymentStatus.UNSPECIFIED;
  }
}

/** A disbursement's state in Paymesh terms: what every answer and event about it carries. */
export interface DisbursementReading {
  status: PaymentStatus;
  /** Xendit's status word, verbatim. */
  providerStatus: string;
  failure?: { reason: ErrorReason; message: string; providerCode: string };
}

/**
 * Reads a disbursement's status and failure code, reporting any value Xendit has not documented.
 * An unknown status is UNSPECIFIED with the raw word as provider_status: the router keeps the
 * payment for its status resolver, never a guessed state. A FAILED payout whose failure code is
 * unknown (or missing) is also UNSPECIFIED, with the code in `failure`: Xendit did not pay, but the
 * adapter cannot say whether a new payment may help, so the payment is held where an operator sees
 * the code rather than ended with a reason it would have to invent.
 */
export function readDisbursementState(
  disbursement: Disbursement,
  context: ReadingContext = {},
): DisbursementReading {
  const providerStatus = disbursement.status;
  const status = paymentStatusFromXendit(providerStatus);
  if (status === PaymentStatus.UNSPECIFIED) {
    reportUnknownProviderValue({
      adapter: "adapter-transfer",
      field: "status",
      value: providerStatus,
      paymentId: context.paymentId,
    });
    return { status, providerStatus };
  }
  if (status !== PaymentStatus.FAILED) return { status, providerStatus };
  const failure = xenditFailure(disbursement.failureCode, context);
  if (failure !== undefined) return { status, providerStatus, failure };
  const code = disbursement.failureCode ?? "";
  return {
    status: PaymentStatus.UNSPECIFIED,
    providerStatus,
    failure: {
      reason: ErrorReason.PROVIDER_ERROR,
      message: `Xendit failed the payout with failure code "${code}", which this adapter does not know; held for review`,
      providerCode: code,
    },
  };
}

/** A Xendit disbursement as a ProviderPayment; see {@link readDisbursementState}. */
export function fromDisbursement(
  disbursement: Disbursement,
  context: ReadingContext = {},
): ProviderPaymentInit {
  const { status, providerStatus, failure } = readDisbursementState(disbursement, context);
  return {
    status,
    providerReference: disbursement.id,
    providerStatus,
    amount: { currency: "IDR", minorUnits: disbursement.amount * 100n },
    ...(failure === undefined ? {} : { failure }),
  };
}
