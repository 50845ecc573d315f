import { readAdditionalData } from "./qris-additional-data.ts";
import { amountProblem } from "./qris-amount.ts";
import { QrisError } from "./qris-error.ts";
import { isMerchantAccountTag, readMerchantAccount, readNmid } from "./qris-merchant-account.ts";
import { readTip } from "./qris-tip.ts";
import { type LocatedField, toQrisField } from "./qris-tlv.ts";
import type { QrisPayload } from "./qris-types.ts";

// Mandatory in every QRIS payload (Bank Indonesia profile of EMVCo MPM).
const MANDATORY = ["00", "01", "52", "53", "58", "59", "60", "63"] as const;
const FORMATS: ReadonlyArray<readonly [tag: string, format: RegExp, what: string]> = [
  ["52", /^\d{4}$/, "merchant category code must be 4 digits"],
  ["53", /^\d{3}$/, "currency must be a 3-digit ISO 4217 code (360 for IDR)"],
  ["58", /^[A-Z]{2}$/, "country code must be 2 uppercase letters (ID)"],
];

/**
 * Applies the field-level rules to an already framed and CRC-checked payload (unique tags, templates
 * split into children) and pulls out what Paymesh reads.
 */
export function interpretFields(fields: readonly LocatedField[]): QrisPayload {
  const byTag = new Map(fields.map((f) => [f.tag, f]));
  const get = (tag: string): LocatedField | undefined => byTag.get(tag);
  const need = (tag: string): LocatedField => {
    const field = byTag.get(tag);
    if (field === undefined) throw new QrisError("MISSING_TAG", "mandatory field is missing", { tag });
    return field;
  };
  for (const tag of MANDATORY) need(tag);

  const initiation = need("01");
  if (initiation.value !== "11" && initiation.value !== "12") {
    const detail = `point of initiation ${JSON.stringify(initiation.value)} must be 11 (static) or 12 (dynamic)`;
    throw invalid(initiation, detail);
  }
  const pointOfInitiation = initiation.value === "11" ? "static" : "dynamic";
  for (const [tag, format, what] of FORMATS) {
    const field = need(tag);
    if (!format.test(field.value)) throw invalid(field, `${what}, got ${JSON.stringify(field.value)}`);
  }

  if (!fields.some((f) => Number(f.tag) >= 26 && Number(f.tag) <= 51)) {
    throw new QrisError("MISSING_TAG", "no merchant account information (tags 26–51)", { tag: "26" });
  }
  const merchantAccounts = fields.filter((f) => isMerchantAccountTag(f.tag)).map(readMerchantAccount);

  const payload: QrisPayload = {
    fields: fields.map(toQrisField),
    pointOfInitiation,
    merchantAccounts,
    mcc: need("52").value,
    currency: need("53").value,
    countryCode: need("58").value,
    merchantName: need("59").value,
    merchantCity: need("60").value,
    crc: need("63").value.toUpperCase(),
  };
  const repository = get("51");
  if (repository !== undefined) payload.nmid = readNmid(repository);
  const postalCode = get("61");
  if (postalCode !== undefined) payload.postalCode = postalCode.value;
  const amount = get("54");
  if (amount !== undefined) payload.amount = readAmount(amount, pointOfInitiation);
  const tip = readTip(get);
  if (tip !== undefined) payload.tip = tip;
  const additional = get("62");
  if (additional !== undefined) payload.additionalData = readAdditionalData(additional);
  return payload;
}

// Bank Indonesia's profile: a static sticker never carries an amount (the payer types it), so one
// that does is rejected instead of silently treated as dynamic; converting is toDynamicQris's job.
// A dynamic payload without 54 is accepted (amount stays undefined) because EMVCo only recommends it.
function readAmount(field: LocatedField, pointOfInitiation: "static" | "dynamic"): string {
  if (pointOfInitiation === "static") {
    throw invalid(field, "a static payload (tag 01 = 11) must not carry an amount; use 01 = 12");
  }
  const problem = amountProblem(field.value);
  if (problem !== undefined) throw invalid(field, problem);
  return field.value;
}

function invalid(field: LocatedField, detail: string): QrisError {
  return new QrisError("BAD_VALUE", detail, { offset: field.offset, tag: field.path });
}
