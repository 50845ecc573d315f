import { randomBytes } from "node:crypto";

/** The B2B access tokens the simulator has issued. */
export interface AccessTokens {
  /** Issues a token valid for the TTL from now. */
  issue(): { accessToken: string; expiresInSeconds: number };
  /** True while the token exists and has not expired by the injected clock. */
  isValid(accessToken: string): boolean;
  /** Forgets every token, as a bank rotating credentials would: clients must fetch a new one. */
  revokeAll(): void;
}

/**
 * Creates the token registry. Tokens are random bytes rather than injected ids because they are
 * credentials; their expiry follows the injected clock so tests can age them.
 */
export function createAccessTokens(options: { clock: () => Date; ttlSeconds: number }): AccessTokens {
  const expiries = new Map<string, number>();
  return {
    issue() {
      const accessToken = randomBytes(24).toString("base64url");
      expiries.set(accessToken, options.clock().getTime() + options.ttlSeconds * 1000);
      return { accessToken, expiresInSeconds: options.ttlSeconds };
    },
    isValid(accessToken) {
      const expiry = expiries.get(accessToken);
      if (expiry === undefined) return false;
      if (options.clock().getTime() < expiry) return true;
      expiries.delete(accessToken);
      return false;
    },
    revokeAll() {
      expiries.clear();
    },
  };
}
