import { ADDITIONAL_DATA_NAMES } from "./qris-additional-data.ts";
import { amountProblem, percentageProblem } from "./qris-amount.ts";
import { decodeQris } from "./qris-decode.ts";
import { encodeQris } from "./qris-encode.ts";
import { QrisError } from "./qris-error.ts";
import type { QrisField, QrisTip } from "./qris-types.ts";

/** What to stamp onto a sticker to make it a one-transaction QR. */
export interface QrisDynamicOptions {
  /** Tag 54, e.g. from `formatQrisAmount`. */
  amount: string;
  /** Tags 55–57. Any fee on the sticker is dropped; pass it again here to keep it. */
  tip?: QrisTip;
  /** Tag 62 sub-tag 01. */
  billNumber?: string;
  /** Tag 62 sub-tag 05; acquirers echo it in payment notifications, so it is the usual join key. */
  referenceLabel?: string;
  /** Tag 62 sub-tag 07. */
  terminalLabel?: string;
}

// EMVCo gives each of these tag 62 sub-fields the format ans..25.
const MAX_ADDITIONAL_LENGTH = 25;
const REPLACED = new Set(["54", "55", "56", "57", "63"]);

/**
 * Turns a merchant's static sticker (or an existing dynamic QR) into a dynamic QR for one charge, as
 * Bank Indonesia describes: 01 set to 12, old amount and fee tags dropped, the new ones inserted just
 * before 58, tag 62 merged, CRC recomputed. Works on parsed fields, never by splicing the string, so
 * every length stays right.
 */
export function toDynamicQris(staticPayload: string, options: QrisDynamicOptions): string {
  const parsed = decodeQris(staticPayload);
  const inserted = [{ tag: "54", value: checkedAmount(options.amount) }, ...tipFields(options.tip)];
  const additions = additionalDataFields(options);
  const fields: QrisField[] = [];
  for (const field of parsed.fields) {
    if (REPLACED.has(field.tag)) continue;
    if (field.tag === "58") fields.push(...inserted);
    if (field.tag === "01") fields.push({ tag: "01", value: "12" });
    else if (field.tag === "62") fields.push(mergeChildren(field, additions));
    else fields.push(field);
  }
  if (additions.length > 0 && !fields.some((f) => f.tag === "62")) {
    // Keep root tags ascending: 62 goes before 64 and the 80–99 templates if the sticker has them.
    const at = fields.findIndex((f) => Number(f.tag) > 62);
    fields.splice(at === -1 ? fields.length : at, 0, { tag: "62", value: "", children: additions });
  }
  return encodeQris(fields);
}

function checkedAmount(amount: string): string {
  const problem = amountProblem(amount);
  if (problem !== undefined) throw new QrisError("BAD_VALUE", problem, { tag: "54" });
  return amount;
}

function tipFields(tip: QrisTip | undefined): QrisField[] {
  if (tip === undefined) return [];
  switch (tip.kind) {
    case "prompt":
      return [{ tag: "55", value: "01" }];
    case "fixed": {
      const problem = amountProblem(tip.value, "fixed fee");
      if (problem !== undefined) throw new QrisError("BAD_VALUE", problem, { tag: "56" });
      return [
        { tag: "55", value: "02" },
        { tag: "56", value: tip.value },
      ];
    }
    case "percentage": {
      const problem = percentageProblem(tip.value);
      if (problem !== undefined) throw new QrisError("BAD_VALUE", problem, { tag: "57" });
      return [
        { tag: "55", value: "03" },
        { tag: "57", value: tip.value },
      ];
    }
  }
}

function additionalDataFields(options: QrisDynamicOptions): QrisField[] {
  const fields: QrisField[] = [];
  for (const [name, subTag] of Object.entries(ADDITIONAL_DATA_NAMES)) {
    const value = options[name as keyof typeof ADDITIONAL_DATA_NAMES];
    if (value === undefined) continue;
    if (value.length < 1 || value.length > MAX_ADDITIONAL_LENGTH) {
      const detail = `${name} ${JSON.stringify(value)} must be 1 to ${MAX_ADDITIONAL_LENGTH} characters`;
      throw new QrisError("BAD_VALUE", detail, { tag: `62.${subTag}` });
    }
    fields.push({ tag: subTag, value });
  }
  return fields;
}

// Replaces the sub-tags being set, keeps the sticker's others, and keeps sub-tags in ascending order.
function mergeChildren(field: QrisField, additions: readonly QrisField[]): QrisField {
  const replaced = new Set(additions.map((a) => a.tag));
  const kept = (field.children ?? []).filter((c) => !replaced.has(c.tag));
  const children = [...kept, ...additions].sort((a, b) => Number(a.tag) - Number(b.tag));
  return { tag: field.tag, value: field.value, children };
}
