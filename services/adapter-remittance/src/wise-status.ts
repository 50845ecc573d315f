import type { MessageInitShape } from "@bufbuild/protobuf";
import { reportUnknownProviderValue } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, type PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import { minorUnits, type WiseTransfer } from "./wise-wire.ts";

type FailureInit = MessageInitShape<typeof PaymentFailureSchema>;
/** A ProviderPayment as the provider returns it. */
export type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/** A Wise transfer state in Paymesh terms. */
export interface MappedState {
  status: PaymentStatus;
  /** Set for states that end the payment as failed. */
  failure?: FailureInit;
}

const failed = (reason: ErrorReason, message: string, state: string): MappedState => ({
  status: PaymentStatus.FAILED,
  failure: { reason, message, providerCode: state },
});

/**
 * Wise transfer state → Paymesh status, for every state Wise's "Tracking transfers" guide lists
 * (section "Transfer statuses"). Everything before the money leaves Wise is PROCESSING (the sender
 * has nothing left to do: the adapter funds from the balance); `outgoing_payment_sent` is
 * SUCCEEDED. Wise states can move back: `bounced_back` after `outgoing_payment_sent` means the
 * recipient's bank returned the money, so it is FAILED with PAYMENT_RETURNED even though SUCCEEDED
 * was reported before — the router's state machine treats terminal states as final and needs a
 * "returned" path to apply it. Wise's own `unknown` ("waiting for an update from a partner") is
 * UNSPECIFIED: documented, so not reported, but nothing to apply. A state Wise never documented is
 * reported (field `status`) and also UNSPECIFIED, with the raw word as provider_status: the router
 * keeps the payment for its status resolver, never a guessed state.
 */
export function mapWiseState(state: string, context: { paymentId?: string | undefined } = {}): MappedState {
  switch (state) {
    case "incoming_payment_waiting":
    case "incoming_payment_initiated":
    case "processing":
    case "funds_converted":
    // Wise waits for the recipient to give more details; the transfer is still alive.
    case "waiting_recipient_input_to_proceed":
      return { status: PaymentStatus.PROCESSING };
    case "outgoing_payment_sent":
      return { status: PaymentStatus.SUCCEEDED };
    case "cancelled":
      return { status: PaymentStatus.CANCELED };
    case "funds_refunded":
      return failed(
        ErrorReason.PROVIDER_DECLINED,
        "Wise could not complete the transfer and refunded the funds",
        state,
      );
    case "bounced_back":
      return failed(ErrorReason.PAYMENT_RETURNED, "the recipient's bank returned the transfer", state);
    case "charged_back":
      return failed(ErrorReason.PROVIDER_DECLINED, "the transfer's funding was charged back", state);
    case "unknown":
      return { status: PaymentStatus.UNSPECIFIED };
    default:
      reportUnknownProviderValue({
        adapter: "adapter-remittance",
        field: "status",
        value: state,
        paymentId: context.paymentId,
      });
      return { status: PaymentStatus.UNSPECIFIED };
  }
}

/** The states {@link mapWiseState} knows, in Wise's order: the vocabulary test holds it to Wise's list. */
export const WISE_STATES: readonly string[] = [
  "incoming_payment_waiting",
  "incoming_payment_initiated",
  "processing",
  "funds_converted",
  "outgoing_payment_sent",
  "charged_back",
  "cancelled",
  "funds_refunded",
  "bounced_back",
  "unknown",
  "waiting_recipient_input_to_proceed",
];

/** The Paymesh view of a Wise transfer: status from its state, amount in the source currency. */
export function paymentFromTransfer(
  transfer: WiseTransfer,
  context: { paymentId?: string | undefined } = {},
): ProviderPaymentInit {
  const mapped = mapWiseState(transfer.status, context);
  return {
    status: mapped.status,
    providerReference: transfer.id,
    providerStatus: transfer.status,
    amount: {
      currency: transfer.sourceCurrency,
      minorUnits: minorUnits(transfer.sourceValue, transfer.sourceCurrency),
    },
    ...(mapped.failure === undefined ? {} : { failure: mapped.failure }),
  };
}
