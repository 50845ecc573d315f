import { sign, verify } from "node:crypto";
import type { KeyLike } from "./key-like.ts";

/** Base64 RSA-SHA256 (PKCS#1 v1.5) of a SNAP string-to-sign. */
export function rsaSha256Sign(stringToSign: string, privateKey: KeyLike): string {
  return sign("sha256", Buffer.from(stringToSign, "utf8"), privateKey).toString("base64");
}

/**
 * Verifies a base64 RSA-SHA256 signature. Signatures arrive in request headers from anyone on the
 * network, so malformed base64, a wrong-length signature or an unusable key must read as "does
 * not verify", never as an exception a handler forgets to catch.
 */
export function rsaSha256Verify(stringToSign: string, signature: string, publicKey: KeyLike): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify("sha256", Buffer.from(stringToSign, "utf8"), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
