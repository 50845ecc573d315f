import { createHmac, timingSafeEqual } from "node:crypto";
import { minifiedBodyHash } from "./body-hash.ts";

/** What a SNAP transaction request's HMAC covers (docs/providers.md, "Symmetric signature"). */
export interface SymmetricSignatureInput {
  /** HTTP method; upper-cased before signing. */
  method: string;
  /** Relative path as sent, e.g. `/v1.0/qr/qr-mpm-generate` (no scheme or host). */
  path: string;
  accessToken: string;
  /** The exact body sent on the wire: the string a sender wrote, or the raw bytes a receiver read. */
  body: string | Uint8Array;
  /** The exact X-TIMESTAMP header value. */
  timestamp: string;
  clientSecret: string;
}

/**
 * `METHOD:relativePath:accessToken:lowercase(hex(SHA-256(body))):X-TIMESTAMP`, the string both
 * sides HMAC. Exported so a failing signature can be debugged by comparing strings, not digests.
 */
export function symmetricStringToSign(input: Omit<SymmetricSignatureInput, "clientSecret">): string {
  const hash = minifiedBodyHash(input.body);
  return `${input.method.toUpperCase()}:${input.path}:${input.accessToken}:${hash}:${input.timestamp}`;
}

/**
 * The `X-SIGNATURE` of a SNAP transaction request: base64 HMAC-SHA512 keyed with the client
 * secret. Binding the access token and body hash means a captured signature cannot be replayed
 * with another body or after the token rotates.
 */
export function symmetricSignature(input: SymmetricSignatureInput): string {
  return createHmac("sha512", input.clientSecret)
    .update(symmetricStringToSign(input), "utf8")
    .digest("base64");
}

/**
 * Checks a received `X-SIGNATURE` in constant time, so response timing does not leak how many
 * leading characters of a forged signature were right.
 */
export function verifySymmetricSignature(input: SymmetricSignatureInput & { signature: string }): boolean {
  const expected = Buffer.from(symmetricSignature(input), "utf8");
  const received = Buffer.from(input.signature, "utf8");
  if (received.length !== expected.length) return false;
  return timingSafeEqual(received, expected);
}
