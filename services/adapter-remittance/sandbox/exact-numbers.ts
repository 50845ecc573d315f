// The simulator's own exact JSON numbers. Wise writes amounts, rates and ids as bare JSON numbers;
// the simulator must read what a client sends and write what it answers digit for digit, never
// through a float. It keeps its own copy rather than the adapter's, so a bug in the adapter's
// number handling cannot hide behind the same bug in the simulator that checks it.

/** ES2025 JSON.parse source text and JSON.rawJSON (Node 24), not yet in TypeScript's es2023 lib. */
const sourceJson = JSON as unknown as {
  parse(
    text: string,
    reviver: (key: string, value: unknown, context: { source?: string }) => unknown,
  ): unknown;
  rawJSON(text: string): unknown;
};

/** A JSON object as the simulator reads it: numbers are their decimal text. */
export type JsonRecord = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses JSON with every number as its decimal text: `1500000.00` → "1500000.00". Exponent
 * notation is written out (`1.5E3` → "1500"), as Wise reads it as the same number. Throws on
 * text that is not JSON.
 */
export function readExactJson(text: string): unknown {
  return sourceJson.parse(text, (_key, value, context) =>
    typeof value === "number" ? expandExponent(context.source ?? String(value)) : value,
  );
}

/** A value JSON.stringify writes as a bare number with exactly these digits: `exactNumber("67.65")`. */
export function exactNumber(decimal: string): unknown {
  if (!/^-?\d+(\.\d+)?$/.test(decimal)) throw new RangeError(`not a plain decimal: "${decimal}"`);
  return sourceJson.rawJSON(decimal);
}

/** "1.2E-5" → "0.000012", "2E2" → "200"; text without an exponent is returned as is. */
function expandExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign = "", whole = "", fraction = "", power = "0"] = match;
  const digits = (whole + fraction).replace(/^0+/, "") || "0";
  // Where the decimal point falls, counted from the right end of `digits`.
  const scale = fraction.length - Number(power);
  if (digits === "0") return "0";
  if (scale <= 0) return `${sign}${digits}${"0".repeat(-scale)}`;
  const padded = digits.padStart(scale + 1, "0");
  const point = padded.length - scale;
  const fractional = padded.slice(point).replace(/0+$/, "");
  return `${sign}${padded.slice(0, point)}${fractional === "" ? "" : `.${fractional}`}`;
}
