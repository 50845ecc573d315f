/** The four bytes JSON counts as insignificant whitespace (RFC 8259, section 2). */
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The minified form of a JSON text: every whitespace byte outside a string removed, every other
 * byte kept as it is. Not a parse and re-serialization: key order, number text (`1.50`, `1e3`),
 * escapes and duplicate keys stay exactly as sent, so the hash of a pretty-printed body equals the
 * hash of the minified body its sender signed. Works on bytes: UTF-8 never puts a quote, a
 * backslash or a whitespace byte inside a multi-byte character, so text that is not valid UTF-8
 * (or not JSON at all) passes through with only its outside-string whitespace removed.
 */
export function minifyJson(text: string | Uint8Array): Uint8Array {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const out = new Uint8Array(bytes.length);
  let length = 0;
  let inString = false;
  let escaped = false;
  for (const byte of bytes) {
    if (inString) {
      out[length++] = byte;
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
    } else if (!WHITESPACE.has(byte)) {
      out[length++] = byte;
      if (byte === QUOTE) inString = true;
    }
  }
  return out.subarray(0, length);
}
