import { rewriteJson } from "./exact-json.ts";

/**
 * Which keys hold what must never be recorded or logged in clear. One rule set: adapters mask
 * provider exchanges with it and the logger redacts with the same keys.
 */
export interface MaskRules {
  /** Account, virtual account and card numbers: kept to their last 4 characters. */
  accountKeys: readonly string[];
  /** People's and businesses' names: kept to their first letter. */
  nameKeys: readonly string[];
  /** Credentials, tokens, signatures and keys: replaced whole. */
  secretKeys: readonly string[];
}

/** The rules every process shares; an adapter adds its provider's own keys with {@link createMasker}. */
export const MASK_RULES: MaskRules = Object.freeze({
  accountKeys: Object.freeze([
    "account_number",
    "accountNumber",
    "va_number",
    "permata_va_number",
    "bill_key",
    "bankAccount",
    "iban",
    "IBAN",
    "cardNumber",
    "clabe",
  ]),
  nameKeys: Object.freeze([
    "name",
    "account_holder_name",
    "accountHolderName",
    "recipient_name",
    "customer_name",
    "first_name",
    "last_name",
    "fullName",
    "firstName",
    "lastName",
    "businessName",
    "holderName",
  ]),
  secretKeys: Object.freeze([
    "authorization",
    "Authorization",
    "accessToken",
    "access_token",
    "clientSecret",
    "client_secret",
    "serverKey",
    "server_key",
    "secretKey",
    "secret_key",
    "apiKey",
    "api_key",
    "password",
    "privateKey",
    "private_key",
    "signature",
    "signature_key",
    "token",
  ]),
});

/** Shown in place of a secret. */
export const REDACTED = "[redacted]";

/** "****7890": the last 4 characters, the receipt convention; the length is not kept, so it leaks nothing. */
export function maskAccountNumber(value: string): string {
  const compact = value.replaceAll(" ", "");
  return compact.length <= 4 ? "****" : `****${compact.slice(-4)}`;
}

/** "B***": the first letter and a fixed tail, so an operator can still tell records apart. */
export function maskName(value: string): string {
  const first = [...value.trim()][0];
  return first === undefined ? "" : `${first}***`;
}

// A `"key": "value"` pair in text that is not JSON.
const QUOTED_PAIR = /"(\w+)"(\s*:\s*)"([^"]*)"/g;

/** Masks by key; built by {@link createMasker}. */
export interface Masker {
  readonly rules: MaskRules;
  /** The value of `key`, masked when the key is one of the rules'; other values unchanged. */
  maskField(key: string, value: string): string;
  /** Any JSON-like value with every ruled key masked at any depth. */
  maskValue(value: unknown): unknown;
  /**
   * A body for the record. JSON is re-serialized minified with numbers byte-exact. Text that is not
   * JSON (a gateway page, an answer cut off mid-way) has its quoted `"key":"value"` pairs masked by
   * key, so a name never escapes because the body failed to parse, and then every run of 6 or more
   * digits masked: better over-masked than leaked.
   */
  maskBody(text: string): string;
}

/** What an adapter adds to the shared rules. */
export interface MaskerOptions extends Partial<MaskRules> {
  /**
   * A provider's own shapes the keys cannot express, e.g. an error that echoes the rejected value
   * of the field it names. Return undefined to leave the value to the key rules.
   */
  special?: (key: string, value: unknown, masker: Masker) => unknown;
}

/** A masker with the shared {@link MASK_RULES} plus an adapter's own keys. */
export function createMasker(options: MaskerOptions = {}): Masker {
  const rules: MaskRules = {
    accountKeys: [...MASK_RULES.accountKeys, ...(options.accountKeys ?? [])],
    nameKeys: [...MASK_RULES.nameKeys, ...(options.nameKeys ?? [])],
    secretKeys: [...MASK_RULES.secretKeys, ...(options.secretKeys ?? [])],
  };
  const accounts = new Set(rules.accountKeys);
  const names = new Set(rules.nameKeys);
  const secrets = new Set(rules.secretKeys);

  const maskField = (key: string, value: string): string => {
    if (accounts.has(key)) return maskAccountNumber(value);
    if (names.has(key)) return maskName(value);
    if (secrets.has(key)) return REDACTED;
    return value;
  };
  const rewrite = (key: string, value: unknown): unknown => {
    const special = options.special?.(key, value, masker);
    if (special !== undefined) return special;
    return typeof value === "string" ? maskField(key, value) : value;
  };
  const walk = (key: string, value: unknown): unknown => {
    if (Array.isArray(value))
      return rewrite(
        key,
        value.map((item) => walk(key, item)),
      );
    if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value).map(([inner, child]) => [inner, walk(inner, child)]);
      return rewrite(key, Object.fromEntries(entries));
    }
    return rewrite(key, value);
  };
  const masker: Masker = {
    rules,
    maskField,
    maskValue: (value) => walk("", value),
    maskBody(text) {
      if (text === "") return text;
      try {
        return rewriteJson(text, rewrite);
      } catch {
        const byKey = text.replace(QUOTED_PAIR, (whole, key: string, colon: string, value: string) => {
          const masked = maskField(key, value);
          return masked === value ? whole : `"${key}"${colon}"${masked}"`;
        });
        return byKey.replace(/\d{6,}/g, maskAccountNumber);
      }
    },
  };
  return masker;
}
