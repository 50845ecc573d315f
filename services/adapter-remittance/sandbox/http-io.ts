import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request body as raw bytes. Raw, because amounts are parsed from the exact JSON number
 * text (see src/wise-json.ts) and nothing Wise accepts is anywhere near the 1 MiB cut-off.
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
 * Writes a JSON answer. Values made with `wiseNumber()` (JSON.rawJSON) come out as bare numbers
 * with exactly their digits, the way Wise writes amounts.
 */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** A single header's value; node:http lower-cases names and repeats become arrays. */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
