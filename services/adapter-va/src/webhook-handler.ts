import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { GrpcCode, type PaymentProvider, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { verifyNotification } from "./midtrans-notification.ts";
import { paymentFromTransaction } from "./midtrans-payment.ts";
import { parseAnswerTime } from "./midtrans-time.ts";
import type { MidtransTransaction } from "./midtrans-wire.ts";
import type { StatusLookup } from "./status-lookup.ts";

/**
 * ParseWebhook for Midtrans HTTP notifications: verify the body's signature_key, then confirm with
 * the status API and report what it says (PROVIDERS.md: "A careful receiver confirms with the
 * status API before acting"). The signature covers neither transaction_status nor a timestamp, so
 * a replayed or late body must not move a payment: the event's status is the status API's.
 */
export function createWebhookHandler(options: {
  lookup: StatusLookup;
  serverKey: string;
  clock: () => Date;
}): NonNullable<PaymentProvider["parseWebhook"]> {
  return async (request, context) => {
    const notification = verifyNotification(request.body, options.serverKey);
    const confirmed = await options.lookup(notification.orderId, [], context.signal);
    if (confirmed === undefined || confirmed.order_id !== notification.orderId) {
      // Signed by Midtrans, yet its status API does not know the order: answer 5xx so it redelivers.
      throw new PaymeshError(
        ErrorReason.PROVIDER_ERROR,
        `Midtrans status API does not know order ${notification.orderId} yet`,
        { code: GrpcCode.UNAVAILABLE },
      );
    }
    return {
      events: [eventFrom(confirmed, options.clock)],
      reply: {
        httpStatus: 200,
        contentType: "application/json",
        body: new TextEncoder().encode('{"status":"ok"}'),
      },
    };
  };
}

/** The normalized event for a confirmed transaction. */
function eventFrom(transaction: MidtransTransaction, clock: () => Date) {
  const payment = paymentFromTransaction(transaction);
  const when: Readonly<Record<string, string | undefined>> = {
    pending: transaction.transaction_time,
    settlement: transaction.settlement_time,
    expire: transaction.expiry_time,
  };
  return {
    // The same transaction in the same state is the same event, however often it is delivered.
    eventId: `${transaction.transaction_id}:${transaction.transaction_status}`,
    paymentId: transaction.order_id,
    providerReference: transaction.transaction_id,
    status: payment.status ?? PaymentStatus.UNSPECIFIED,
    providerStatus: transaction.transaction_status,
    occurredAt: timestampFromDate(parseAnswerTime(when[transaction.transaction_status]) ?? clock()),
    ...(payment.amount === undefined ? {} : { amount: payment.amount }),
    ...(payment.failure === undefined ? {} : { failure: payment.failure }),
  };
}
