import { createHash } from "node:crypto";

/**
 * Midtrans's notification `signature_key`: lowercase hex SHA-512 of
 * `order_id + status_code + gross_amount + ServerKey` (docs/providers.md, "Midtrans Core API").
 * Written here independently of the adapter's verifier, so a shared mistake cannot hide.
 */
export function signatureKey(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): string {
  return createHash("sha512").update(`${orderId}${statusCode}${grossAmount}${serverKey}`).digest("hex");
}
