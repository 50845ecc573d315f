import { amountProblem, percentageProblem } from "./qris-amount.ts";
import { QrisError } from "./qris-error.ts";
import type { LocatedField } from "./qris-tlv.ts";
import type { QrisTip } from "./qris-types.ts";

type Lookup = (tag: string) => LocatedField | undefined;

/**
 * Reads the tip / convenience fee (55 indicator, 56 fixed, 57 percentage). A stray 56 or 57 is
 * rejected rather than ignored: a payer's app that honoured it would charge a fee the indicator
 * never announced.
 */
export function readTip(get: Lookup): QrisTip | undefined {
  const indicator = get("55");
  const fixed = get("56");
  const percentage = get("57");
  if (indicator === undefined) {
    rejectStray(fixed, "tag 55 is absent");
    rejectStray(percentage, "tag 55 is absent");
    return undefined;
  }
  switch (indicator.value) {
    case "01":
      rejectStray(fixed, 'tag 55 is "01" (prompt)');
      rejectStray(percentage, 'tag 55 is "01" (prompt)');
      return { kind: "prompt" };
    case "02": {
      rejectStray(percentage, 'tag 55 is "02" (fixed fee)');
      const value = requiredBy(indicator, fixed, "56").value;
      const problem = amountProblem(value, "fixed fee");
      if (problem !== undefined) throw invalid(fixed, problem);
      return { kind: "fixed", value };
    }
    case "03": {
      rejectStray(fixed, 'tag 55 is "03" (percentage fee)');
      const value = requiredBy(indicator, percentage, "57").value;
      const problem = percentageProblem(value);
      if (problem !== undefined) throw invalid(percentage, problem);
      return { kind: "percentage", value };
    }
    default:
      throw invalid(indicator, `tip indicator ${JSON.stringify(indicator.value)} must be 01, 02 or 03`);
  }
}

function requiredBy(indicator: LocatedField, field: LocatedField | undefined, tag: string): LocatedField {
  if (field !== undefined) return field;
  // The offset points at 55, the field that makes `tag` mandatory, since the missing one has none.
  const detail = `missing, but tag 55 at offset ${indicator.offset} is ${JSON.stringify(indicator.value)}`;
  throw new QrisError("MISSING_TAG", detail, { offset: indicator.offset, tag });
}

function rejectStray(field: LocatedField | undefined, reason: string): void {
  if (field !== undefined) throw invalid(field, `must not be present when ${reason}`);
}

function invalid(field: LocatedField | undefined, detail: string): QrisError {
  return new QrisError("BAD_VALUE", detail, { offset: field?.offset, tag: field?.path });
}
