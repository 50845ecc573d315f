/**
 * Which keys hold what must never be recorded or logged in clear. One rule set for every process:
 * adapters mask the provider exchanges they record with it, and every log line goes through it.
 */
export interface MaskRules {
  /** Account, virtual account and card numbers: kept to their last 4 characters. */
  accountKeys: readonly string[];
  /** People's and businesses' names: kept to their first letter. */
  nameKeys: readonly string[];
  /** Credentials, tokens, signatures and keys: replaced whole. */
  secretKeys: readonly string[];
}

/** The rules every process shares; an adapter adds its provider's own keys with {@link createRedactor}. */
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

/** Masks by key and by shape; built by {@link createRedactor}. */
export interface Redactor {
  readonly rules: MaskRules;
  /** The value of `key`, masked when the key is one of the rules'; other values unchanged. */
  maskField(key: string, value: string): string;
  /**
   * Any JSON-like value with every ruled key masked at any depth. Strings under other keys are
   * left as they are: this is the exact masking an audit record gets.
   */
  maskValue(value: unknown): unknown;
  /**
   * Free text (an error message, a stack, a provider's page) with the secrets that have a shape of
   * their own masked wherever they stand: PEM blocks, `Bearer`/`Basic` credentials, providers' keys
   * by their published prefixes, quoted `"key":"value"`, `key=value` and `Header: value` pairs whose
   * key is ruled, and runs of 10 or more digits standing alone (account and card numbers; ids with
   * letters in them are left whole).
   */
  maskText(text: string): string;
  /**
   * What a log line gets: {@link maskValue}, and every string that no key rule masked through
   * {@link maskText}, since a message or an error's words can hold anything.
   */
  maskLogValue(value: unknown): unknown;
}

/** What an adapter adds to the shared rules. */
export interface RedactorOptions extends Partial<MaskRules> {
  /**
   * A provider's own shapes the keys cannot express, e.g. an error that echoes the rejected value
   * of the field it names. Return undefined to leave the value to the key rules.
   */
  special?: (key: string, value: unknown, redactor: Redactor) => unknown;
}

// Keys are compared without case, dashes or underscores, so a header (`X-Signature`,
// `x-callback-token`) matches the rule its body twin does.
const normalize = (key: string): string => key.toLowerCase().replace(/[-_]/g, "");

// A secret or account key may carry a prefix (`x-signature`, `beneficiary_account_number`); a name
// key may not, or `bank_name` and `typeName` would be masked as people.
const SUFFIX_MIN = 5;

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const QUOTED_PAIR = /"([\w-]+)"(\s*:\s*)"([^"]*)"/g;
const ASSIGNED_PAIR = /\b([\w-]+)=([^\s&"',;)]+)/g;
const HEADER_LINE = /\b([\w-]+)(:[ \t]+)([^\s,;]+)/g;
const LONE_DIGITS = /(?<![\w-])\d{10,}(?![\w-])/g;
// Provider credentials by their own published prefixes, wherever they stand: Xendit's secret and
// public keys (xnd_development_…, xnd_production_…), Midtrans' server and client keys
// (Mid-server-…, SB-Mid-server-… in its sandbox), and the sk_/pk_/rk_ live and test keys many
// payment APIs issue.
const PROVIDER_KEY =
  /\b(?:xnd_(?:public_)?(?:development|production)_[\w]{8,}|(?:SB-)?Mid-(?:server|client)-[\w-]{8,}|(?:sk|pk|rk)_(?:live|test)_\w{8,})/g;

/** A redactor with the shared {@link MASK_RULES} plus an adapter's own keys. */
/** An error class's name, e.g. "PaymeshError", "TypeError": kept when it names a logged error. */
const ERROR_CLASS = /^[A-Z][A-Za-z]*Error$/;

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const rules: MaskRules = {
    accountKeys: [...MASK_RULES.accountKeys, ...(options.accountKeys ?? [])],
    nameKeys: [...MASK_RULES.nameKeys, ...(options.nameKeys ?? [])],
    secretKeys: [...MASK_RULES.secretKeys, ...(options.secretKeys ?? [])],
  };
  const accounts = rules.accountKeys.map(normalize);
  const names = new Set(rules.nameKeys);
  const secrets = rules.secretKeys.map(normalize);
  const matches = (ruled: readonly string[], key: string): boolean => {
    const plain = normalize(key);
    return ruled.some((rule) => plain === rule || (rule.length >= SUFFIX_MIN && plain.endsWith(rule)));
  };

  const maskField = (key: string, value: string): string => {
    if (key === "") return value;
    if (matches(secrets, key)) return REDACTED;
    if (matches(accounts, key)) return maskAccountNumber(value);
    if (names.has(key)) return maskName(value);
    return value;
  };
  const rewrite = (key: string, value: unknown, text: boolean): unknown => {
    const special = options.special?.(key, value, redactor);
    if (special !== undefined) return special;
    if (typeof value !== "string") return value;
    const masked = maskField(key, value);
    return text && masked === value ? maskText(value) : masked;
  };
  const walk = (key: string, value: unknown, text: boolean): unknown => {
    if (Array.isArray(value))
      return rewrite(
        key,
        value.map((item) => walk(key, item, text)),
        text,
      );
    if (typeof value === "object" && value !== null) {
      // An error as logged (message and stack): its `name` is the error's class, not a person's.
      const error = "stack" in value && "message" in value;
      const entries = Object.entries(value).map(([inner, child]) => [
        inner,
        error && inner === "name" && typeof child === "string" && ERROR_CLASS.test(child)
          ? child
          : walk(inner, child, text),
      ]);
      return rewrite(key, Object.fromEntries(entries), text);
    }
    return rewrite(key, value, text);
  };
  const maskText = (text: string): string =>
    text
      .replace(PEM_BLOCK, REDACTED)
      .replace(PROVIDER_KEY, REDACTED)
      .replace(AUTH_SCHEME, (_whole, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(QUOTED_PAIR, (whole, key: string, colon: string, value: string) => {
        const masked = maskField(key, value);
        return masked === value ? whole : `"${key}"${colon}"${masked}"`;
      })
      .replace(ASSIGNED_PAIR, (whole, key: string, value: string) => {
        const masked = maskField(key, value);
        return masked === value ? whole : `${key}=${masked}`;
      })
      .replace(HEADER_LINE, (whole, key: string, colon: string, value: string) =>
        // Only secrets: `Name: Budi` in prose is too common a shape to read as a field.
        // A scheme's credential was masked just above; the scheme's name is no secret.
        matches(secrets, key) && value !== REDACTED && !/^(Bearer|Basic|Token)$/i.test(value)
          ? `${key}${colon}${REDACTED}`
          : whole,
      )
      .replace(LONE_DIGITS, maskAccountNumber);
  const redactor: Redactor = {
    rules,
    maskField,
    maskValue: (value) => walk("", value, false),
    maskText,
    maskLogValue: (value) => walk("", value, true),
  };
  return redactor;
}
