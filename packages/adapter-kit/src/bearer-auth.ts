import { createHash, timingSafeEqual } from "node:crypto";
import { ErrorReason } from "@paymesh/proto";
import { PaymeshError } from "./paymesh-error.ts";

/** Resolves an Authorization header value to the calling service's name. */
export type Authenticator = (authorization: string | undefined) => string;

/**
 * Bearer-token authentication of calling services. Tokens are compared as SHA-256 digests with
 * timingSafeEqual, against every configured token without stopping at a match, so neither the
 * token's content nor its length nor which caller it belongs to leaks through timing.
 */
export function createAuthenticator(callers: Readonly<Record<string, string>>): Authenticator {
  const digest = (value: string): Buffer => createHash("sha256").update(value).digest();
  const known = Object.entries(callers).map(([name, token]) => ({ name, digest: digest(token) }));
  return (authorization) => {
    const match = /^Bearer (\S+)$/i.exec(authorization ?? "");
    if (match?.[1] === undefined) {
      throw new PaymeshError(
        ErrorReason.UNAUTHENTICATED,
        "missing bearer token in the authorization metadata",
      );
    }
    const presented = digest(match[1]);
    let caller: string | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(candidate.digest, presented) && caller === undefined) caller = candidate.name;
    }
    if (caller === undefined) throw new PaymeshError(ErrorReason.UNAUTHENTICATED, "unknown bearer token");
    return caller;
  };
}
