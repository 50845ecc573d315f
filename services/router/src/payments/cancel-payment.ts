import { PaymeshError } from "@paymesh/adapter-kit";
import { type CancelPaymentRequest, ErrorReason, type Payment, PaymentStatus } from "@paymesh/proto";
import { type PaymentStore, toPaymentMessage } from "@paymesh/store";
import type { AdapterRegistry } from "../adapters/adapter-handle.ts";
import { applyStep } from "./apply-change.ts";
import { findPayment } from "./payment-queries.ts";
import { type ProviderAnswer, providerAnswerChange, toExchangeRecord } from "./provider-answer.ts";
import type { RequestContext } from "./request-context.ts";

/** What a CancelPayment answer without a payment means: the provider canceled it. */
const CANCELED: ProviderAnswer = {
  status: PaymentStatus.CANCELED,
  providerReference: "",
  failure: undefined,
};

/** Options for createPaymentCanceler. */
export interface CancelPaymentOptions {
  store: PaymentStore;
  registry: AdapterRegistry;
  /** The deadline of an adapter call made for this request. */
  adapterDeadline: (context: RequestContext) => Date;
}

/** CancelPayment: asks the payment's provider to cancel it and records the provider's answer. */
export function createPaymentCanceler(options: CancelPaymentOptions) {
  const { store, registry, adapterDeadline } = options;

  return async function cancelPayment(
    context: RequestContext,
    request: CancelPaymentRequest,
  ): Promise<Payment> {
    const record = await findPayment(store, context, request.paymentId);
    // Only a payment the provider has accepted can be canceled there. A PENDING one may be in
    // flight right now; canceling it locally could leave a live QR or VA at the provider.
    if (record.status !== PaymentStatus.REQUIRES_ACTION && record.status !== PaymentStatus.PROCESSING) {
      throw new PaymeshError(
        ErrorReason.PAYMENT_NOT_CANCELABLE,
        `payment ${record.id} cannot be canceled while ${PaymentStatus[record.status]}`,
        { field: "payment_id" },
      );
    }
    const handle = registry.get(record.adapter);
    if (handle === undefined) {
      throw new PaymeshError(ErrorReason.ADAPTER_UNAVAILABLE, `adapter ${record.adapter} is not configured`);
    }
    const response = await handle.client.cancelPayment(
      { paymentId: record.id, providerReference: record.providerReference, reason: request.reason },
      { deadline: adapterDeadline(context), signal: context.signal },
    );
    const change = providerAnswerChange(record, response.payment ?? CANCELED);
    const step = await applyStep(store, record, change, "api", {
      exchanges: { adapter: handle.name, records: response.exchanges.map(toExchangeRecord) },
    });
    return toPaymentMessage(step.record);
  };
}
