// The provider's notifications: verified over exactly the bytes received, then read as events.
import { createHmac, timingSafeEqual } from "node:crypto";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type PaymentProvider, PaymeshError, webhookClaimsMetadata } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { statusOf } from "./__name__-status.ts";
import { readNotification, type WireNotification } from "./__name__-wire.ts";

/** The header the provider signs in: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = "x-signature";

/** How far a signed timestamp may be from the adapter's clock before it is refused as a replay. */
export const DEFAULT_TOLERANCE_MS = 300_000;

/** What the parser checks notifications with. */
export interface WebhookOptions {
  secret: string;
  clock: () => Date;
  toleranceMs: number;
}

/** The acknowledgement the router sends back to the provider. */
const REPLY = {
  httpStatus: 200,
  contentType: "application/json",
  body: new TextEncoder().encode('{"received":true}'),
};

/**
 * ParseWebhook: a body that does not verify is WEBHOOK_SIGNATURE_INVALID (the router answers 401),
 * carrying the ids it claims so the router can ask the provider about that payment instead.
 */
export function createWebhookParser(options: WebhookOptions): NonNullable<PaymentProvider["parseWebhook"]> {
  return async (request) => {
    const body = Buffer.from(request.body);
    const signature = request.headers.find((header) => header.name === SIGNATURE_HEADER)?.value;
    const problem = verify(signature, body, options);
    const notification = readNotification(parseJson(body.toString("utf8")));
    if (problem !== undefined) {
      throw new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, `notification refused: ${problem}`, {
        metadata: webhookClaimsMetadata({
          paymentId: notification?.payment.reference,
          providerReference: notification?.payment.id,
        }),
      });
    }
    if (notification === undefined) {
      throw new PaymeshError(ErrorReason.INVALID_FIELD, "a signed notification in an unknown shape");
    }
    return { events: [eventOf(notification)], reply: REPLY };
  };
}

/** Why the signature does not verify, or undefined when it does. */
function verify(header: string | undefined, body: Buffer, options: WebhookOptions): string | undefined {
  if (header === undefined) return `no ${SIGNATURE_HEADER} header`;
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (match === null) return `${SIGNATURE_HEADER} is not t=<seconds>,v1=<hex>`;
  const [, seconds = "", given = ""] = match;
  if (Math.abs(options.clock().getTime() - Number(seconds) * 1000) > options.toleranceMs) {
    return "the signed timestamp is outside the replay window";
  }
  const expected = createHmac("sha256", options.secret).update(`${seconds}.`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, "hex")) ? undefined : "the signature does not match";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The router's event for one notification; the provider's event id deduplicates redeliveries. */
function eventOf(notification: WireNotification) {
  const { payment } = notification;
  const occurredAt = notification.createdAt === undefined ? undefined : new Date(notification.createdAt);
  return {
    eventId: notification.id,
    paymentId: payment.reference,
    providerReference: payment.id,
    ...statusOf(payment.status),
    providerStatus: payment.status,
    amount: payment.amount,
    ...(occurredAt === undefined || Number.isNaN(occurredAt.getTime())
      ? {}
      : { occurredAt: timestampFromDate(occurredAt) }),
  };
}
