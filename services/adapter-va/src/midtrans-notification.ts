import { createHash, timingSafeEqual } from "node:crypto";
import { PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** The signed facts of a Midtrans HTTP notification. */
export interface VerifiedNotification {
  orderId: string;
  statusCode: string;
  grossAmount: string;
  /** What the body claims; the adapter acts on the status API's answer instead. */
  transactionStatus: string;
}

/**
 * Midtrans's `signature_key`: lowercase hex SHA-512 of
 * `order_id + status_code + gross_amount + ServerKey` (PROVIDERS.md, "Midtrans Core API").
 */
export function midtransSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): string {
  return createHash("sha512").update(`${orderId}${statusCode}${grossAmount}${serverKey}`).digest("hex");
}

function rejected(why: string): PaymeshError {
  return new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, `Midtrans notification rejected: ${why}`);
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
    throw rejected("body is not JSON");
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const text = (name: string): string => (typeof record[name] === "string" ? (record[name] as string) : "");
  const [orderId, statusCode, grossAmount, signature] = [
    text("order_id"),
    text("status_code"),
    text("gross_amount"),
    text("signature_key"),
  ];
  if (orderId === "" || statusCode === "" || grossAmount === "" || signature === "") {
    throw rejected("order_id, status_code, gross_amount or signature_key missing");
  }
  const expected = Buffer.from(midtransSignature(orderId, statusCode, grossAmount, serverKey), "utf8");
  const given = Buffer.from(signature, "utf8");
  // Constant time, so response timing reveals nothing about how much of a guess was right.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw rejected("signature_key does not match");
  }
  return { orderId, statusCode, grossAmount, transactionStatus: text("transaction_status") };
}
