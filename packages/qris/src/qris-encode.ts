import { crc16CcittFalse } from "./qris-crc.ts";
import { decodeQris, QRIS_MAX_LENGTH } from "./qris-decode.ts";
import { QrisError } from "./qris-error.ts";
import type { QrisField } from "./qris-types.ts";

const MAX_VALUE_LENGTH = 99;
const CRC_HEADER = "6304";

/**
 * Serializes fields into a QRIS string: 00 moved first (added as "01" if absent), any 63 dropped and
 * a fresh `6304`+CRC appended, templates re-encoded from `children`. The result is run through
 * `decodeQris`, so this never emits a payload the decoder (or a payer's app) would reject.
 */
export function encodeQris(fields: readonly QrisField[]): string {
  const formatIndicators = fields.filter((f) => f.tag === "00");
  const rest = fields.filter((f) => f.tag !== "00" && f.tag !== "63");
  const ordered =
    formatIndicators.length > 0 ? [...formatIndicators, ...rest] : [{ tag: "00", value: "01" }, ...rest];
  let body = "";
  for (const field of ordered) body += writeField(field, body.length);
  body += CRC_HEADER;
  const payload = body + crc16CcittFalse(body);
  if (payload.length > QRIS_MAX_LENGTH) {
    const detail = `encoded payload is ${payload.length} characters, more than ${QRIS_MAX_LENGTH}`;
    throw new QrisError("TOO_LONG", detail, { offset: QRIS_MAX_LENGTH });
  }
  decodeQris(payload);
  return payload;
}

// `offset` is where the field will start in the output, so errors point where a decoder would.
function writeField(field: QrisField, offset: number, parent?: string): string {
  const path = parent === undefined ? field.tag : `${parent}.${field.tag}`;
  if (!/^\d{2}$/.test(field.tag)) {
    throw new QrisError("BAD_TAG", `${JSON.stringify(field.tag)} is not a two-digit tag`, {
      offset,
      tag: path,
    });
  }
  let value = field.value;
  if (field.children !== undefined) {
    value = "";
    for (const child of field.children) value += writeField(child, offset + 4 + value.length, path);
  }
  if (value.length < 1 || value.length > MAX_VALUE_LENGTH) {
    const detail = `value is ${value.length} characters; a field holds 1 to ${MAX_VALUE_LENGTH}`;
    throw new QrisError("BAD_LENGTH", detail, { offset, tag: path });
  }
  return field.tag + String(value.length).padStart(2, "0") + value;
}
