// Masking for everything that leaves the adapter as a record (ProviderExchange bodies): VA and
// account numbers keep their last 4 digits, names their first letter (STYLE.md, DESIGN.md §7).
const ACCOUNT_KEYS = new Set(["va_number", "permata_va_number", "account_number", "bill_key"]);
const NAME_KEYS = new Set(["first_name", "last_name", "recipient_name", "customer_name", "name"]);

/** "************1234": all but the last 4 characters starred. */
export function maskAccountNumber(value: string): string {
  return value.length <= 4 ? "*".repeat(value.length) : `${"*".repeat(value.length - 4)}${value.slice(-4)}`;
}

/** "B***": the first letter and a fixed-length tail, so the length of the name leaks nothing. */
export function maskName(value: string): string {
  return value === "" ? "" : `${value.slice(0, 1)}***`;
}

function maskValue(key: string | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => maskValue(key, item));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(k, v)]));
  }
  if (typeof value !== "string" || key === undefined) return value;
  if (ACCOUNT_KEYS.has(key)) return maskAccountNumber(value);
  if (NAME_KEYS.has(key)) return maskName(value);
  return value;
}

/**
 * A JSON body with account numbers and names masked, re-serialized minified. A body that is not
 * JSON has every run of 6+ digits masked instead: better over-masked than leaked.
 */
export function maskBody(text: string): string {
  if (text === "") return text;
  try {
    return JSON.stringify(maskValue(undefined, JSON.parse(text)));
  } catch {
    return text.replace(/\d{6,}/g, (digits) => maskAccountNumber(digits));
  }
}
