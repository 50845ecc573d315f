import { createHash, timingSafeEqual } from "node:crypto";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  outcomeError,
  type PaymentProvider,
  PaymeshError,
  webhookClaimsMetadata,
} from "@paymesh/adapter-kit";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { paymentFromTransaction } from "./midtrans-status.ts";
import { parseAnswerTime } from "./midtrans-time.ts";
import type { MidtransTransaction } from "./midtrans-wire.ts";

/** The signed facts of a Midtrans HTTP notification. */
export interface VerifiedNotification {
  orderId: string;
  statusCode: string;
  grossAmount: string;
  /** What the body claims; the adapter acts on the status API's answer instead. */
  transactionStatus: string;
}

/** Midtrans's `signature_key`: lowercase hex SHA-512 of `order_id + status_code + gross_amount + ServerKey`. */
export function midtransSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): string {
  return createHash("sha512").update(`${orderId}${statusCode}${grossAmount}${serverKey}`).digest("hex");
}

/** A notification body's top-level fields; empty when its JSON is not an object. */
type NotificationFields = Readonly<Record<string, unknown>>;

/** A top-level string field of the body; "" when absent or not a string. */
function text(fields: NotificationFields, name: string): string {
  const value = fields[name];
  return typeof value === "string" ? value : "";
}

/**
 * WEBHOOK_SIGNATURE_INVALID (UNAUTHENTICATED, a 401 from the router). A body that is JSON carries
 * the ids it names as the kit's webhook claims: order_id is our payment id, transaction_id
 * Midtrans's reference. The router never trusts them: it asks the status API for the payment's
 * real state, so a forged body costs one status query and changes nothing by itself.
 */
function rejected(why: string, fields: NotificationFields | undefined): PaymeshError {
  return new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, `Midtrans notification rejected: ${why}`, {
    metadata:
      fields === undefined
        ? {}
        : webhookClaimsMetadata({
            paymentId: text(fields, "order_id"),
            providerReference: text(fields, "transaction_id"),
          }),
  });
}

/**
 * Verifies a notification body exactly as received. Midtrans signs in the body, not in headers
 * (its notifications carry only `Content-Type: application/json`), so a body without a
 * signature_key, or not JSON at all, is as unverifiable as a wrong one: WEBHOOK_SIGNATURE_INVALID.
 * The signature covers only order_id, status_code and gross_amount, so the transaction_status
 * claimed next to it is not trusted; the caller confirms with the status API.
 */
export function verifyNotification(body: Uint8Array, serverKey: string): VerifiedNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw rejected("body is not JSON", undefined);
  }
  const fields: NotificationFields =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as NotificationFields)
      : {};
  const [orderId, statusCode, grossAmount, signature] = [
    text(fields, "order_id"),
    text(fields, "status_code"),
    text(fields, "gross_amount"),
    text(fields, "signature_key"),
  ];
  if (orderId === "" || statusCode === "" || grossAmount === "" || signature === "") {
    throw rejected("order_id, status_code, gross_amount or signature_key missing", fields);
  }
  const expected = Buffer.from(midtransSignature(orderId, statusCode, grossAmount, serverKey), "utf8");
  const given = Buffer.from(signature, "utf8");
  // Constant time, so response timing reveals nothing about how much of a guess was right.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw rejected("signature_key does not match", fields);
  }
  return { orderId, statusCode, grossAmount, transactionStatus: text(fields, "transaction_status") };
}

/** What ParseWebhook needs from the provider. */
export interface WebhookOptions {
  /** The status API's transaction for an order_id; undefined when Midtrans does not know it. */
  confirm: (orderId: string, signal: AbortSignal) => Promise<MidtransTransaction | undefined>;
  serverKey: string;
  clock: () => Date;
}

/**
 * ParseWebhook for Midtrans HTTP notifications: verify the body's signature_key, then confirm with
 * the status API and report what it says. The signature covers neither transaction_status nor a
 * timestamp, so a replayed or late body must not move a payment: the event's status is the status
 * API's.
 */
export function createWebhookParser(options: WebhookOptions): NonNullable<PaymentProvider["parseWebhook"]> {
  return async (request, context) => {
    const notification = verifyNotification(request.body, options.serverKey);
    const confirmed = await options.confirm(notification.orderId, context.signal);
    if (confirmed === undefined || confirmed.order_id !== notification.orderId) {
      // Signed by Midtrans, yet its status API does not know the order: answer 5xx so it redelivers.
      throw outcomeError(
        { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR },
        {
          provider: "Midtrans",
          what: "notification",
          providerMessage: `the status API does not know order ${notification.orderId} yet`,
          readOnly: true,
        },
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
