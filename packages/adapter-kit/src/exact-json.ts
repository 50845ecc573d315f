// Providers write amounts, rates and ids as JSON numbers (`"sourceAmount": 100.5`, `"id": 468956`).
// Reading them through JSON.parse's default number conversion would turn money into floats and long
// ids into wrong ones, so every number is read as its exact source text and written back from
// decimal text (ES2025 JSON.parse source text access and JSON.rawJSON, both in Node 24).

/** The parts of the ES2025 JSON API that TypeScript's es2023 lib does not declare yet. */
interface JsonWithSourceText {
  parse(
    text: string,
    reviver: (this: unknown, key: string, value: unknown, context: { source?: string }) => unknown,
  ): unknown;
  rawJSON(text: string): unknown;
}

const json = JSON as unknown as JsonWithSourceText;

/** A parsed JSON object; numbers appear as their decimal source text (see {@link parseExactJson}). */
export type JsonRecord = Record<string, unknown>;

/**
 * Parses JSON with every number replaced by its source text as a string ("100.50", "468956"),
 * so ids and amounts survive exactly. Throws SyntaxError on invalid JSON.
 */
export function parseExactJson(text: string): unknown {
  return json.parse(text, (_key, value, context) =>
    typeof value === "number" ? plainDecimal(context.source ?? String(value)) : value,
  );
}

/**
 * A value JSON.stringify writes as a bare JSON number with exactly these digits, e.g.
 * `jsonNumber("100.00")` → `100.00`: how amounts at a currency's exponent go on the wire.
 */
export function jsonNumber(decimalText: string): unknown {
  if (!/^-?\d+(\.\d+)?$/.test(decimalText)) throw new RangeError(`"${decimalText}" is not a decimal`);
  return json.rawJSON(decimalText);
}

/**
 * Re-serializes JSON text with each value passed through `replace(key, value)` (children first, as
 * JSON.parse revivers run) and numbers kept byte-exact: how bodies are masked for the record.
 */
export function rewriteJson(text: string, replace: (key: string, value: unknown) => unknown): string {
  const value = json.parse(text, (key, parsed, context) =>
    typeof parsed === "number" ? json.rawJSON(context.source ?? String(parsed)) : replace(key, parsed),
  );
  return JSON.stringify(value);
}

/**
 * A JSON number's text as a plain decimal: exponent notation ("1.2E-5", which Java serializers
 * emit for small BigDecimals) is expanded ("0.000012"); anything else is returned unchanged.
 */
export function plainDecimal(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  const digits = `${whole}${fraction}`;
  const point = whole.length + exponent;
  const padded =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? `${digits}${"0".repeat(point - digits.length)}`
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  const trimmed = padded.includes(".") ? padded.replace(/0+$/, "").replace(/\.$/, "") : padded;
  const normalized = trimmed.replace(/^0+(?=\d)/, "");
  return `${sign}${normalized}`;
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
