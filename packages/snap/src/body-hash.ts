import { createHash } from "node:crypto";
import { minifyJson } from "./minify-json.ts";

/**
 * Lowercase hex SHA-256 of a request body as SNAP defines it, `SHA-256(minify(RequestBody))`: the
 * middle part of every SNAP string-to-sign (docs/providers.md, "Bank Indonesia SNAP"). The body is
 * minified first ({@link minifyJson}: whitespace outside strings dropped, nothing else touched), so
 * a sender that pretty-prints its JSON and a receiver that hashes what it read agree. Senders pass
 * the very string they put on the wire (already minified, so minifying changes nothing); a
 * receiver passes the raw bytes it read (a Uint8Array), so even a body that is not valid UTF-8
 * hashes from what was sent.
 */
export function minifiedBodyHash(body: string | Uint8Array): string {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return createHash("sha256").update(minifyJson(bytes)).digest("hex");
}
