import type { MessageInitShape } from "@bufbuild/protobuf";
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
 * Wise transfer state → Paymesh status. Everything before the money leaves
 * Wise is PROCESSING (the sender has nothing left to do: the adapter funds from the balance);
 * `outgoing_payment_sent` is SUCCEEDED. Wise states can move back: `bounced_back` after
 * `outgoing_payment_sent` means the recipient's bank returned the money, so it is FAILED with
 * PAYMENT_RETURNED even though SUCCEEDED was reported before — the router's state machine treats
 * terminal states as final and needs a "returned" path to apply it. A state this table does not
 * know (Wise adds states, e.g. `waiting_recipient_input_to_proceed`) is PROCESSING: never a
 * terminal guess.
 */
export function mapWiseState(state: string): MappedState {
  switch (state) {
    case "incoming_payment_waiting":
    case "processing":
    case "funds_converted":
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
    default:
      return { status: PaymentStatus.PROCESSING };
  }
}

/** The Paymesh view of a Wise transfer: status from its state, amount in the source currency. */
export function paymentFromTransfer(transfer: WiseTransfer): ProviderPaymentInit {
  const mapped = mapWiseState(transfer.status);
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
