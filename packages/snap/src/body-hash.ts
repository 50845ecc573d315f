import { createHash } from "node:crypto";

/**
 * Lowercase hex SHA-256 of a request body, the middle part of every SNAP string-to-sign.
 * PROVIDERS.md says "hash exactly the bytes sent": callers pass the very string they put on the
 * wire (minified JSON, i.e. `JSON.stringify` output), never a re-serialization of a parsed object,
 * whose key order or spacing could differ from what the other side hashes. A receiver passes the
 * raw bytes it read (a Uint8Array), so even a body that is not valid UTF-8 hashes as sent.
 */
export function minifiedBodyHash(body: string | Uint8Array): string {
  const hash = createHash("sha256");
  if (typeof body === "string") hash.update(body, "utf8");
  else hash.update(body);
  return hash.digest("hex");
}
