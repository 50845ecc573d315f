import type { MessageInitShape } from "@bufbuild/protobuf";
import { GrpcCode, type PaymentProvider, PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { isMidtransTransportError, type MidtransClient } from "./midtrans-client.ts";
import { midtransOutcome, midtransRefusal } from "./midtrans-error-map.ts";
import { paymentFromTransaction, toExchange } from "./midtrans-payment.ts";
import type { StatusLookup } from "./status-lookup.ts";
import { transportFailure } from "./transport-failure.ts";

type ExchangeInit = MessageInitShape<typeof adapterv1.ProviderExchangeSchema>;

/**
 * CancelPayment over `POST /v2/{order_id}/cancel`. Idempotent for the caller: when Midtrans
 * refuses because the VA is no longer pending (412), the status API decides — already CANCELED
 * is returned as success (a retried cancel), anything else is PAYMENT_NOT_CANCELABLE.
 */
export function createCancelHandler(
  client: MidtransClient,
  lookup: StatusLookup,
): NonNullable<PaymentProvider["cancelPayment"]> {
  return async (request, context) => {
    const exchanges: ExchangeInit[] = [];
    let answer: Awaited<ReturnType<MidtransClient["cancel"]>>;
    try {
      answer = await client.cancel(request.paymentId, context.signal);
    } catch (error) {
      if (!isMidtransTransportError(error)) throw error;
      exchanges.push(...error.exchanges.map(toExchange));
      throw transportFailure(error, "cancel");
    }
    exchanges.push(...answer.exchanges.map(toExchange));
    if (answer.ok) return { payment: paymentFromTransaction(answer.body), exchanges };
    const outcome = midtransOutcome(answer.statusCode);
    if (outcome.kind === "not-found") {
      throw new PaymeshError(
        ErrorReason.PAYMENT_NOT_FOUND,
        `Midtrans has no transaction for payment ${request.paymentId}`,
      );
    }
    const notModifiable =
      outcome.kind === "refused" &&
      (outcome.reason === ErrorReason.PAYMENT_NOT_CANCELABLE ||
        outcome.reason === ErrorReason.PAYMENT_EXPIRED);
    if (outcome.kind === "refused" && !notModifiable) throw midtransRefusal(outcome, answer);
    const current = await lookup(request.paymentId, exchanges, context.signal);
    if (current?.transaction_status === "cancel") {
      return { payment: paymentFromTransaction(current), exchanges };
    }
    throw new PaymeshError(
      notModifiable ? ErrorReason.PAYMENT_NOT_CANCELABLE : ErrorReason.PROVIDER_ERROR,
      `Midtrans did not cancel (${answer.statusCode} ${answer.statusMessage}); the transaction is ${current?.transaction_status ?? "unknown"}`,
      {
        code: notModifiable ? GrpcCode.FAILED_PRECONDITION : GrpcCode.UNAVAILABLE,
        providerCode: answer.statusCode,
      },
    );
  };
}
