import { createHash } from "node:crypto";

/**
 * Paymesh's namespace for Wise customerTransactionIds. Never change it: every payment's
 * provider-side idempotency key is derived from it, and a new namespace would let a retried
 * payment create a second transfer.
 */
const NAMESPACE = "2dc42735-4b09-4177-8744-447d18e08860";

/**
 * The customerTransactionId for a payment: an RFC 4122 version 5 UUID (SHA-1 over namespace and
 * payment id). Wise requires a UUID there and answers a repeated one with the transfer it already
 * made (PROVIDERS.md, "Wise"), so the same payment id can never create two transfers.
 */
export function customerTransactionId(paymentId: string): string {
  const namespace = Buffer.from(NAMESPACE.replaceAll("-", ""), "hex");
  const hash = createHash("sha1").update(namespace).update(paymentId, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
