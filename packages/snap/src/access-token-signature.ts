import type { KeyLike } from "./key-like.ts";
import { rsaSha256Sign, rsaSha256Verify } from "./rsa-signature.ts";

/**
 * The string a partner signs to get a B2B access token: `clientId + "|" + X-TIMESTAMP`
 * (docs/providers.md, "Access token (B2B)").
 */
export function accessTokenStringToSign(clientId: string, timestamp: string): string {
  return `${clientId}|${timestamp}`;
}

/** Inputs of the access-token signature: the partner's client id, X-TIMESTAMP and RSA private key. */
export interface SignAccessTokenInput {
  clientId: string;
  timestamp: string;
  privateKey: KeyLike;
}

/** The `X-SIGNATURE` of `POST /v1.0/access-token/b2b`: base64 RSA-SHA256 with the partner's key. */
export function signAccessToken(input: SignAccessTokenInput): string {
  return rsaSha256Sign(accessTokenStringToSign(input.clientId, input.timestamp), input.privateKey);
}

/** Inputs for checking an access-token request's signature against the partner's public key. */
export interface VerifyAccessTokenInput {
  clientId: string;
  timestamp: string;
  signature: string;
  publicKey: KeyLike;
}

/** What the bank side does with an access-token request; false (never a throw) on garbage input. */
export function verifyAccessTokenSignature(input: VerifyAccessTokenInput): boolean {
  return rsaSha256Verify(
    accessTokenStringToSign(input.clientId, input.timestamp),
    input.signature,
    input.publicKey,
  );
}
