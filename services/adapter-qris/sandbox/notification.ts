import type { KeyObject } from "node:crypto";
import { asymmetricSignature, SnapHeader, snapTimestamp } from "@paymesh/snap";
import type { SimPayment } from "./payment-store.ts";
import { amountView, paidTimeView, statusView } from "./payment-view.ts";

/** A notification exactly as it goes on the wire. */
export interface SignedNotification {
  headers: Record<string, string>;
  /** The minified JSON body the signature covers. */
  body: string;
}

/**
 * The body of a QR MPM payment notification (service `52`) for a payment's current state. Built
 * once per event: retries resend the same bytes.
 */
export function notificationBody(payment: SimPayment): string {
  const paidTime = paidTimeView(payment);
  return JSON.stringify({
    originalReferenceNo: payment.referenceNo,
    originalPartnerReferenceNo: payment.partnerReferenceNo,
    ...statusView(payment),
    amount: amountView(payment),
    additionalInfo: paidTime === undefined ? {} : { paidTime },
  });
}

/** Who signs and how the notification is addressed. */
export interface SignOptions {
  body: string;
  /** Relative path of the receiving URL (path and query), the part the signature covers. */
  path: string;
  privateKey: KeyObject;
  now: Date;
  externalId: string;
  partnerId: string;
  channelId: string;
}

/**
 * Signs a notification the SNAP way: RSA-SHA256 over `POST:path:bodyHash:timestamp` with the
 * bank's private key (docs/providers.md, "Asymmetric signature"). Each delivery attempt is signed anew
 * with a fresh X-TIMESTAMP and X-EXTERNAL-ID, so a receiver enforcing timestamp windows or
 * per-day X-EXTERNAL-ID uniqueness accepts a retry.
 */
export function signNotification(options: SignOptions): SignedNotification {
  const timestamp = snapTimestamp(options.now);
  const signature = asymmetricSignature({
    method: "POST",
    path: options.path,
    body: options.body,
    timestamp,
    privateKey: options.privateKey,
  });
  return {
    headers: {
      "Content-Type": "application/json",
      [SnapHeader.timestamp]: timestamp,
      [SnapHeader.signature]: signature,
      [SnapHeader.partnerId]: options.partnerId,
      [SnapHeader.externalId]: options.externalId,
      [SnapHeader.channelId]: options.channelId,
    },
    body: options.body,
  };
}

/** The relative path of a notify URL as the signature covers it: path plus query string. */
export function relativePath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
