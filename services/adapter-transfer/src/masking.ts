/**
 * Masks an account number to its last 4 digits (`******7890`), the part an operator needs to
 * tell payouts apart. Account numbers never appear whole in logs or recorded exchanges
 * (DESIGN.md section 7).
 */
export function maskAccountNumber(accountNumber: string): string {
  if (accountNumber.length <= 4) return "*".repeat(accountNumber.length);
  return `${"*".repeat(accountNumber.length - 4)}${accountNumber.slice(-4)}`;
}

/** Masks a person's name to its first letter and `***` (`B***`). */
export function maskName(name: string): string {
  const first = name.trim().charAt(0);
  return first === "" ? "" : `${first}***`;
}

const ACCOUNT_KEYS = new Set(["account_number", "accountNumber"]);
const NAME_KEYS = new Set(["account_holder_name", "accountHolderName", "name", "recipient_name"]);

function maskValue(key: string, value: unknown): unknown {
  if (typeof value === "string" && ACCOUNT_KEYS.has(key)) return maskAccountNumber(value);
  if (typeof value === "string" && NAME_KEYS.has(key)) return maskName(value);
  return maskTree(value);
}

function maskTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskTree);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskValue(key, inner)]));
}

/**
 * Masks account numbers and names in a JSON text, at any depth, for an exchange record or a log
 * line. Text that is not JSON (an HTML error page) gets the same treatment by pattern, so a body
 * never escapes masking because it failed to parse.
 */
export function maskJsonText(text: string): string {
  if (text === "") return text;
  try {
    return JSON.stringify(maskTree(JSON.parse(text)));
  } catch {
    return text.replace(/"(\w+)"(\s*:\s*)"([^"]*)"/g, (whole, key: string, colon: string, value: string) => {
      const masked = maskValue(key, value);
      return typeof masked === "string" && masked !== value ? `"${key}"${colon}"${masked}"` : whole;
    });
  }
}
