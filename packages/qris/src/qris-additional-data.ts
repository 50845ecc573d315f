import type { LocatedField } from "./qris-tlv.ts";
import type { QrisAdditionalData } from "./qris-types.ts";

/** The tag 62 sub-tags Paymesh reads by name; everything else is kept under its sub-tag. */
export const ADDITIONAL_DATA_NAMES = {
  billNumber: "01",
  referenceLabel: "05",
  terminalLabel: "07",
} as const;

const NAME_BY_SUB_TAG: ReadonlyMap<string, string> = new Map(
  Object.entries(ADDITIONAL_DATA_NAMES).map(([name, subTag]) => [subTag, name]),
);

/**
 * Flattens template 62 into a record. Values are kept verbatim: acquirers put their own ids in these
 * sub-tags and reconciliation has to match them exactly.
 */
export function readAdditionalData(field: LocatedField): QrisAdditionalData {
  const data: QrisAdditionalData = {};
  for (const child of field.children ?? []) {
    data[NAME_BY_SUB_TAG.get(child.tag) ?? child.tag] = child.value;
  }
  return data;
}
