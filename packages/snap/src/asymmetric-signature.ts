import { minifiedBodyHash } from "./body-hash.ts";
import type { KeyLike } from "./key-like.ts";
import { rsaSha256Sign, rsaSha256Verify } from "./rsa-signature.ts";

/** What a provider-to-partner SNAP request (e.g. a QR payment notification) signs. */
export interface AsymmetricSignatureInput {
  method: string;
  /** Relative path of the receiving URL as the sender addressed it, e.g. `/webhooks/qris`. */
  path: string;
  /** The exact body sent on the wire: the string a sender wrote, or the raw bytes a receiver read. */
  body: string | Uint8Array;
  /** The exact X-TIMESTAMP header value. */
  timestamp: string;
}

/** `METHOD:relativePath:lowercase(hex(SHA-256(body))):X-TIMESTAMP` (docs/providers.md, "Asymmetric signature"). */
export function asymmetricStringToSign(input: AsymmetricSignatureInput): string {
  return `${input.method.toUpperCase()}:${input.path}:${minifiedBodyHash(input.body)}:${input.timestamp}`;
}

/**
 * Signs a notification with the sender's RSA private key. Asymmetric because the receiver (the
 * merchant) must be able to verify without holding a secret that could also forge notifications.
 */
export function asymmetricSignature(input: AsymmetricSignatureInput & { privateKey: KeyLike }): string {
  return rsaSha256Sign(asymmetricStringToSign(input), input.privateKey);
}

/**
 * Verifies a notification's `X-SIGNATURE` with the sender's public key. Returns false, never
 * throws, on garbage: webhook ingress is open to the internet.
 */
export function verifyAsymmetricSignature(
  input: AsymmetricSignatureInput & { signature: string; publicKey: KeyLike },
): boolean {
  return rsaSha256Verify(asymmetricStringToSign(input), input.signature, input.publicKey);
}
