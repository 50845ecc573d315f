import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { parseDecimalAmount, reportUnknownProviderValue } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { QueryQrAnswer } from "./snap-wire.ts";

type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/** What one `latestTransactionStatus` says about the payment. */
export type SnapStatusMeaning =
  /** A Paymesh status, with the failure's reason when it ended badly. */
  | { kind: "status"; status: PaymentStatus; failureReason?: ErrorReason }
  /** `07`: the bank has no such transaction. */
  | { kind: "not-found" }
  /** A value the adapter does not know; already reported. */
  | { kind: "unknown" };

const status = (value: PaymentStatus, failureReason?: ErrorReason): SnapStatusMeaning => ({
  kind: "status",
  status: value,
  ...(failureReason === undefined ? {} : { failureReason }),
});

/**
 * SNAP QR MPM `latestTransactionStatus` → Paymesh, for every value the published docs list
 * (Finpay "SNAP QRIS – Query Payment" / "Payment Notify": 00–07; Qoin "QR MPM Query": 08 "Expiry",
 * 09 "Rejected"). `06` is read with its description below.
 * - `01` initiated, `02` paying, `03` pending: the customer has yet to scan and pay.
 * - `04` refunded: the payment was made and money then went back. Paymesh has no refunded payment
 *   status and a refund is its own flow, so the payment itself is SUCCEEDED (the money did move
 *   once); `provider_status` "04" says the rest.
 * - `08` expired, `09` rejected (a decline, with the bank's description as its words).
 */
const STATUSES: ReadonlyMap<string, SnapStatusMeaning> = new Map([
  ["00", status(PaymentStatus.SUCCEEDED)],
  ["01", status(PaymentStatus.REQUIRES_ACTION)],
  ["02", status(PaymentStatus.REQUIRES_ACTION)],
  ["03", status(PaymentStatus.REQUIRES_ACTION)],
  ["04", status(PaymentStatus.SUCCEEDED)],
  ["05", status(PaymentStatus.CANCELED)],
  ["06", status(PaymentStatus.FAILED, ErrorReason.PROVIDER_DECLINED)],
  ["07", { kind: "not-found" }],
  ["08", status(PaymentStatus.EXPIRED, ErrorReason.PAYMENT_EXPIRED)],
  ["09", status(PaymentStatus.FAILED, ErrorReason.PROVIDER_DECLINED)],
]);

/** Every value {@link snapStatusMeaning} knows, for the vocabulary test and the README. */
export const KNOWN_SNAP_STATUSES: readonly string[] = [...STATUSES.keys()];

/**
 * What a `latestTransactionStatus` means. `06` failed with a description that says "expired" is
 * EXPIRED: before `08` existed, banks (and this adapter's simulator) reported an expired QR that
 * way. A value outside the table is reported as unknown (one warning line and a count, adapter-kit
 * provider-vocabulary.ts), never folded into a known one.
 */
export function snapStatusMeaning(
  latestTransactionStatus: string,
  description: string,
  paymentId?: string,
): SnapStatusMeaning {
  if (latestTransactionStatus === "06" && /expire/i.test(description))
    return status(PaymentStatus.EXPIRED, ErrorReason.PAYMENT_EXPIRED);
  const meaning = STATUSES.get(latestTransactionStatus);
  if (meaning !== undefined) return meaning;
  reportUnknownProviderValue({
    adapter: "adapter-qris",
    field: "latestTransactionStatus",
    value: latestTransactionStatus,
    paymentId,
  });
  return { kind: "unknown" };
}

/**
 * The Paymesh status of a meaning: `07` and an unknown value are UNSPECIFIED, so the router keeps
 * the raw `provider_status` for its status resolver and applies nothing.
 */
export function paymentStatusOf(meaning: SnapStatusMeaning): PaymentStatus {
  return meaning.kind === "status" ? meaning.status : PaymentStatus.UNSPECIFIED;
}

/**
 * The payment as the bank's query answer describes it, or undefined when the answer says `07` (not
 * found): the bank has no such QR, exactly as a `404xx01` answer says. An unknown status is a
 * payment with status UNSPECIFIED and the raw value as `providerStatus`.
 */
export function paymentFromQuery(body: QueryQrAnswer, paymentId?: string): ProviderPaymentInit | undefined {
  const description = body.transactionStatusDesc ?? "";
  const meaning = snapStatusMeaning(body.latestTransactionStatus, description, paymentId);
  if (meaning.kind === "not-found") return undefined;
  const status = paymentStatusOf(meaning);
  const qrContent = body.additionalInfo?.qrContent;
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
    ...failureOf(meaning, body.latestTransactionStatus, description),
  };
}

/** The failure of a status that ended badly, SNAP's status and description verbatim. */
export function failureOf(
  meaning: SnapStatusMeaning,
  latestTransactionStatus: string,
  description: string,
): { failure?: { reason: ErrorReason; message: string; providerCode: string } } {
  if (meaning.kind !== "status" || meaning.failureReason === undefined) return {};
  return {
    failure: { reason: meaning.failureReason, message: description, providerCode: latestTransactionStatus },
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
