import { crc16CcittFalse } from "./qris-crc.ts";
import { QrisError } from "./qris-error.ts";
import { interpretFields } from "./qris-interpret.ts";
import { assertUniqueTags, isTemplateTag, type LocatedField, readTlv } from "./qris-tlv.ts";
import type { QrisPayload } from "./qris-types.ts";

/** EMVCo MPM caps the whole payload at 512 characters. */
export const QRIS_MAX_LENGTH = 512;

/**
 * Parses and validates a QRIS string as scanned from a sticker or returned by an acquirer. Throws a
 * QrisError naming the tag and absolute offset on anything malformed, so a bad sticker can be fixed
 * from the message alone.
 */
export function decodeQris(payload: string): QrisPayload {
  if (typeof payload !== "string") throw new QrisError("BAD_VALUE", "payload must be a string");
  if (payload.length > QRIS_MAX_LENGTH) {
    const detail = `payload is ${payload.length} characters, more than ${QRIS_MAX_LENGTH}`;
    throw new QrisError("TOO_LONG", detail, { offset: QRIS_MAX_LENGTH });
  }
  const root = readTlv(payload);
  checkFraming(payload, root);
  assertUniqueTags(root);
  // Templates are split only after the CRC matched: a corrupted sticker should be reported as a CRC
  // failure, not as whatever nonsense its damaged template happens to parse into.
  const fields = root.map((field): LocatedField => {
    if (!isTemplateTag(field.tag)) return field;
    const children = readTlv(field.value, field.offset + 4, field.tag);
    assertUniqueTags(children);
    return { ...field, children };
  });
  return interpretFields(fields);
}

function checkFraming(payload: string, root: readonly LocatedField[]): void {
  const first = root[0];
  if (first?.tag !== "00") {
    const misplaced = root.find((f) => f.tag === "00");
    if (misplaced === undefined) {
      throw new QrisError("MISSING_TAG", "payload format indicator is missing", { tag: "00" });
    }
    const detail = `payload format indicator must be the first field, found after tag ${first?.tag}`;
    throw new QrisError("BAD_ORDER", detail, { offset: misplaced.offset, tag: "00" });
  }
  if (first.value !== "01") {
    const detail = `payload format indicator ${JSON.stringify(first.value)} must be "01"`;
    throw new QrisError("BAD_VALUE", detail, { offset: first.offset, tag: "00" });
  }
  const crcField = root.find((f) => f.tag === "63");
  if (crcField === undefined) throw new QrisError("MISSING_TAG", "CRC is missing", { tag: "63" });
  if (crcField !== root[root.length - 1]) {
    throw new QrisError("BAD_ORDER", "CRC must be the last field", { offset: crcField.offset, tag: "63" });
  }
  if (crcField.value.length !== 4) {
    const detail = `CRC length must be 04, got ${String(crcField.value.length).padStart(2, "0")}`;
    throw new QrisError("BAD_LENGTH", detail, { offset: crcField.offset, tag: "63" });
  }
  // The CRC covers its own tag and length ("6304") but not its value.
  const expected = crc16CcittFalse(payload.slice(0, crcField.offset + 4));
  if (crcField.value.toUpperCase() !== expected) {
    const detail = `CRC mismatch: expected ${expected}, found ${JSON.stringify(crcField.value)}`;
    throw new QrisError("BAD_CRC", detail, { offset: crcField.offset, tag: "63" });
  }
}
