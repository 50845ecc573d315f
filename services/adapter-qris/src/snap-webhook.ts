import { createHash } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { invalidField, PaymeshError, parseDecimalAmount, webhookClaimsMetadata } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { type KeyLike, parseSnapTimestamp, verifyAsymmetricSignature } from "@paymesh/snap";
import { failureOf, paymentStatusOf, snapStatusMeaning } from "./snap-status.ts";

type ParseWebhookResponseInit = MessageInitShape<typeof adapterv1.ParseWebhookResponseSchema>;

/**
 * How far a notification's X-TIMESTAMP may be from our clock, either way, unless configured: five
 * minutes, wide enough for clock skew and the bank's delivery latency, narrow enough that a
 * captured notification cannot be replayed much later.
 */
export const DEFAULT_NOTIFICATION_TOLERANCE_MS = 300_000;

/** What checking a SNAP notification needs. */
export interface SnapNotificationCheck {
  /** The bank's public key: notifications are signed with its private key (SNAP asymmetric). */
  bankPublicKey: KeyLike;
  /** The adapter's clock, against which X-TIMESTAMP is compared. */
  clock: () => Date;
  /** Largest allowed distance between X-TIMESTAMP and the clock, past or future. */
  toleranceMs: number;
}

/** The parts of a QR MPM payment notification (service `52`) the adapter reads. */
interface SnapNotification {
  originalReferenceNo: string;
  originalPartnerReferenceNo: string;
  latestTransactionStatus: string;
  transactionStatusDesc: string;
  amount: { value: string; currency: string } | undefined;
}

/**
 * Verifies and normalizes a SNAP payment notification. The asymmetric signature covers
 * `POST:path:bodyHash:X-TIMESTAMP` with bodyHash = SHA-256(minify(body)), so once it verifies the timestamp is the bank's own: a
 * notification stamped outside the tolerance (either way) is a replay of a captured one, or one
 * we cannot tell from it, and is refused like a bad signature. Every refusal whose body still reads
 * as a notification carries the ids it names as claims (adapter-kit webhook-claims.ts), so the
 * router can ask the bank for the real status instead of dropping a possibly genuine late delivery.
 */
export function parseSnapNotification(
  request: adapterv1.ParseWebhookRequest,
  check: SnapNotificationCheck,
): ParseWebhookResponseInit {
  const header = (name: string): string =>
    request.headers.find((h) => h.name.toLowerCase() === name)?.value ?? "";
  const body = Buffer.from(request.body).toString("utf8");
  const signature = header("x-signature");
  const timestamp = header("x-timestamp");
  const verified =
    signature !== "" &&
    timestamp !== "" &&
    verifyAsymmetricSignature({
      method: request.httpMethod || "POST",
      path: request.path,
      // The raw bytes, hashed by SNAP's rule, SHA-256(minify(body)): a bank that sends pretty-printed
      // JSON signed its minified form, and whitespace outside strings is all minifying removes.
      body: request.body,
      timestamp,
      signature,
      publicKey: check.bankPublicKey,
    });
  if (!verified) throw refusal("SNAP notification signature did not verify", body);
  const sentAt = snapInstant(timestamp);
  if (sentAt === undefined) throw refusal("SNAP notification X-TIMESTAMP is not a SNAP timestamp", body);
  const now = check.clock();
  if (Math.abs(now.getTime() - sentAt.getTime()) > check.toleranceMs) {
    throw refusal(
      `SNAP notification X-TIMESTAMP ${timestamp} is outside the replay window (±${check.toleranceMs} ms of ${now.toISOString()})`,
      body,
    );
  }

  const notification = parseNotification(body);
  // `07` (not found) and an unknown value are UNSPECIFIED with the raw value: the router keeps the
  // event for its status resolver, which asks the bank, and applies nothing.
  const meaning = snapStatusMeaning(
    notification.latestTransactionStatus,
    notification.transactionStatusDesc,
    notification.originalPartnerReferenceNo || undefined,
  );
  const status = paymentStatusOf(meaning);
  return {
    events: [
      {
        // The same notification delivered twice has the same id; a later state has a new one.
        eventId: `snap-${createHash("sha256").update(`${notification.originalReferenceNo}|${notification.latestTransactionStatus}`).digest("hex").slice(0, 32)}`,
        paymentId: notification.originalPartnerReferenceNo,
        providerReference: notification.originalReferenceNo,
        status,
        providerStatus: notification.latestTransactionStatus,
        occurredAt: timestampFromDate(now),
        ...(notification.amount === undefined
          ? {}
          : {
              amount: {
                currency: notification.amount.currency,
                minorUnits: parseDecimalAmount(notification.amount.value, notification.amount.currency),
              },
            }),
        ...failureOf(meaning, notification.latestTransactionStatus, notification.transactionStatusDesc),
      },
    ],
    reply: {
      httpStatus: 200,
      contentType: "application/json",
      body: new TextEncoder().encode(
        JSON.stringify({ responseCode: "2005200", responseMessage: "Successful" }),
      ),
    },
  };
}

/**
 * WEBHOOK_SIGNATURE_INVALID (UNAUTHENTICATED, a 401 from the router). When the body reads as a
 * notification, the ids it names go along as claims: originalPartnerReferenceNo is our payment id,
 * originalReferenceNo the bank's.
 */
function refusal(message: string, body: string): PaymeshError {
  const notification = readNotification(body);
  return new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, message, {
    metadata:
      notification === undefined
        ? {}
        : webhookClaimsMetadata({
            paymentId: notification.originalPartnerReferenceNo,
            providerReference: notification.originalReferenceNo,
          }),
  });
}

function snapInstant(timestamp: string): Date | undefined {
  try {
    return parseSnapTimestamp(timestamp);
  } catch {
    return undefined;
  }
}

function readNotification(body: string): SnapNotification | undefined {
  try {
    return parseNotification(body);
  } catch {
    return undefined;
  }
}

function parseNotification(body: string): SnapNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidField("body", "notification is not JSON");
  }
  const record = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof record[key] === "string" ? record[key] : "");
  if (text("originalReferenceNo") === "" && text("originalPartnerReferenceNo") === "")
    throw invalidField("body.originalReferenceNo", "is required");
  if (text("latestTransactionStatus") === "")
    throw invalidField("body.latestTransactionStatus", "is required");
  const amount = record.amount as { value?: unknown; currency?: unknown } | undefined;
  return {
    originalReferenceNo: text("originalReferenceNo"),
    originalPartnerReferenceNo: text("originalPartnerReferenceNo"),
    latestTransactionStatus: text("latestTransactionStatus"),
    transactionStatusDesc: text("transactionStatusDesc"),
    amount:
      typeof amount?.value === "string" && typeof amount.currency === "string"
        ? { value: amount.value, currency: amount.currency }
        : undefined,
  };
}
