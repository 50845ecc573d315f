import { QrisError } from "./qris-error.ts";
import type { QrisField } from "./qris-types.ts";

/** A parsed field that remembers where it was, so later checks can name the absolute offset. */
export interface LocatedField {
  tag: string;
  value: string;
  /** Absolute offset of the tag in the whole payload. */
  offset: number;
  /** Tag for error messages: "54" at the root, "26.01" inside a template. */
  path: string;
  children?: LocatedField[];
}

const TWO_DIGITS = /^\d{2}$/;

/**
 * Whether a root tag's value is itself TLV. EMVCo MPM defines 26–51 (merchant account information,
 * 51 being the QRIS domestic repository), 62 (additional data), 64 (language) and 80–99 as templates.
 */
export function isTemplateTag(tag: string): boolean {
  const n = Number(tag);
  return (n >= 26 && n <= 51) || n === 62 || n === 64 || (n >= 80 && n <= 99);
}

/**
 * Splits `text` into TLV fields. `base` is the absolute offset of `text` in the payload and `parent`
 * the enclosing template tag, so that errors inside a template still point into the whole payload.
 */
export function readTlv(text: string, base = 0, parent?: string): LocatedField[] {
  const fields: LocatedField[] = [];
  const where = parent === undefined ? "the payload" : `template ${parent}`;
  let i = 0;
  while (i < text.length) {
    const offset = base + i;
    const tag = text.slice(i, i + 2);
    if (tag.length < 2) {
      throw new QrisError("TRUNCATED", `${where} ends inside a tag`, { offset });
    }
    const path = parent === undefined ? tag : `${parent}.${tag}`;
    if (!TWO_DIGITS.test(tag)) {
      throw new QrisError("BAD_TAG", `${JSON.stringify(tag)} is not a two-digit tag`, { offset, tag: path });
    }
    const lengthText = text.slice(i + 2, i + 4);
    if (lengthText.length < 2) {
      throw new QrisError("TRUNCATED", `${where} ends inside the length`, { offset, tag: path });
    }
    if (!TWO_DIGITS.test(lengthText)) {
      const detail = `length ${JSON.stringify(lengthText)} is not two decimal digits`;
      throw new QrisError("BAD_LENGTH", detail, { offset, tag: path });
    }
    const length = Number(lengthText);
    // EMVCo lengths run 01–99; an empty value is never meaningful and usually means a broken generator.
    if (length === 0) throw new QrisError("BAD_LENGTH", "length 00 is not allowed", { offset, tag: path });
    const end = i + 4 + length;
    if (end > text.length) {
      const left = text.length - i - 4;
      const detail = `length ${length} runs past the end of ${where} (${left} characters left)`;
      throw new QrisError("TRUNCATED", detail, { offset, tag: path });
    }
    fields.push({ tag, value: text.slice(i + 4, end), offset, path });
    i = end;
  }
  return fields;
}

/** Rejects a repeated tag, naming the second occurrence; EMVCo allows each tag once per level. */
export function assertUniqueTags(fields: readonly LocatedField[]): void {
  const seen = new Map<string, number>();
  for (const field of fields) {
    const first = seen.get(field.tag);
    if (first !== undefined) {
      const detail = `appears again (first at offset ${first})`;
      throw new QrisError("DUPLICATE_TAG", detail, { offset: field.offset, tag: field.path });
    }
    seen.set(field.tag, field.offset);
  }
}

/** Drops the location bookkeeping so callers get plain `QrisField`s they can re-encode or compare. */
export function toQrisField(field: LocatedField): QrisField {
  if (field.children === undefined) return { tag: field.tag, value: field.value };
  return { tag: field.tag, value: field.value, children: field.children.map(toQrisField) };
}
