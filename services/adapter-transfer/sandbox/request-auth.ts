import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { header } from "@paymesh/sandbox-kit";
import type { SimState } from "./sim-state.ts";
import { XenditFailure } from "./xendit-failure.ts";

/** What the presented key may do. */
export type KeyPermission = "money-out" | "read-only";

function sameSecret(a: string, b: string): boolean {
  // Digests first, so the comparison takes the same time whatever the lengths.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Checks HTTP Basic authentication: the secret key as username and an empty password
 * (docs/providers.md, "Auth"). A missing, malformed or unknown key is 401 `INVALID_API_KEY`
 * (*unconfirmed* code, not in docs/providers.md's list). The read-only key authenticates but may not
 * create disbursements: routes that move money answer it `REQUEST_FORBIDDEN_ERROR`.
 */
export function authenticate(state: SimState, request: IncomingMessage): KeyPermission {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header(request, "authorization") ?? "");
  if (match === null) throw new XenditFailure("INVALID_API_KEY");
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const username = colon === -1 ? decoded : decoded.slice(0, colon);
  const password = colon === -1 ? "" : decoded.slice(colon + 1);
  if (password !== "") throw new XenditFailure("INVALID_API_KEY");
  if (sameSecret(username, state.options.secretKey)) return "money-out";
  if (sameSecret(username, state.options.readOnlySecretKey)) return "read-only";
  throw new XenditFailure("INVALID_API_KEY");
}
