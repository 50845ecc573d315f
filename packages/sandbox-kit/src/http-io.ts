import type { IncomingMessage, ServerResponse } from "node:http";

/** No provider request a simulator serves is anywhere near this; a bigger body is a bug or an attack. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request body as raw bytes. Raw, because providers sign, hash or fingerprint the exact bytes
 * received (SNAP signatures, idempotency fingerprints, amounts parsed from the JSON number text), and
 * decoding then re-encoding could change them. Rejects with a RangeError past 1 MiB.
 */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new RangeError("request body over 1 MiB");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes a minified JSON answer with its exact `content-length`, as providers send them. Values made
 * with `JSON.rawJSON` (e.g. Wise amounts) come out as bare numbers with exactly their digits.
 */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** A single header's value; node:http lower-cases names and repeats become arrays (the first wins). */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
