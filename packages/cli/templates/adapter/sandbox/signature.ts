import { createHmac } from "node:crypto";

/** The header notifications are signed in. */
export const SIGNATURE_HEADER = "x-signature";

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under `secret`. The simulator's own
 * signing, written from the provider's documentation: it shares no code with the adapter it checks.
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const mac = createHmac("sha256", secret).update(`${seconds}.${body}`).digest("hex");
  return `t=${seconds},v1=${mac}`;
}
