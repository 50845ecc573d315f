import { rewriteJson } from "./wise-json.ts";

/** Keys whose values are people's or businesses' names, or free text that names them. */
const NAME_KEYS = new Set([
  "accountHolderName",
  "name",
  "fullName",
  "firstName",
  "lastName",
  "businessName",
  "holderName",
  // Balance statements say "Sent money to <recipient name>".
  "description",
]);

/** Keys whose values are account identifiers. */
const ACCOUNT_KEYS = new Set(["accountNumber", "IBAN", "iban", "bankAccount", "cardNumber", "clabe"]);

/** "Ann Smith" → "A***": the first letter, so an operator can still tell records apart. */
export function maskName(name: string): string {
  const first = [...name.trim()][0];
  return first === undefined ? "" : `${first}***`;
}

/** "37778842" → "****8842": the last four characters, the convention for account numbers on receipts. */
export function maskAccountNumber(account: string): string {
  const compact = account.replaceAll(" ", "");
  return compact.length <= 4 ? "****" : `****${compact.slice(-4)}`;
}

function maskValue(key: string, value: string): string {
  if (NAME_KEYS.has(key)) return maskName(value);
  if (ACCOUNT_KEYS.has(key)) return maskAccountNumber(value);
  return value;
}

/**
 * Masks names and account numbers in a JSON body before it is recorded in a ProviderExchange or
 * logged (DESIGN.md section 7). Numbers stay byte-exact; a body that is not JSON (an HTML error
 * page) carries no recipient data and is returned as is.
 */
export function maskBody(text: string): string {
  if (text === "") return text;
  try {
    return rewriteJson(text, (key, value) => {
      if (typeof value === "string") return maskValue(key, value);
      // Wise's field errors echo the rejected value: {"path":"accountNumber","arguments":["accountNumber","12"]}.
      if (key === "arguments" && Array.isArray(value) && typeof value[0] === "string") {
        const field = value[0];
        return value.map((item, index) =>
          index > 0 && typeof item === "string" ? maskValue(field, item) : item,
        );
      }
      return value;
    });
  } catch {
    return text;
  }
}
