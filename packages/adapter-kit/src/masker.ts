import { createRedactor, maskAccountNumber, type Redactor, type RedactorOptions } from "@paymesh/telemetry";
import { rewriteJson } from "./exact-json.ts";

// The rules themselves are @paymesh/telemetry's, shared with every process's logger; re-exported
// here for adapter teams, who import the kit.
export {
  MASK_RULES,
  type MaskRules,
  maskAccountNumber,
  maskName,
  REDACTED,
} from "@paymesh/telemetry";

/**
 * The shared redactor plus what an audit record needs: a provider body masked exactly (the key
 * rules only; free text is left as the provider wrote it). Built by {@link createMasker}.
 */
export interface Masker extends Redactor {
  /**
   * A body for the record. JSON is re-serialized minified with numbers byte-exact. Text that is not
   * JSON (a gateway page, an answer cut off mid-way) is masked as free text
   * ({@link Redactor.maskText}: quoted `"key":"value"` pairs by key, so a name never escapes
   * because the body failed to parse), and then every run of 6 or more digits: better over-masked
   * than leaked.
   */
  maskBody(text: string): string;
}

/** What an adapter adds to the shared rules. */
export interface MaskerOptions extends Omit<RedactorOptions, "special"> {
  /**
   * A provider's own shapes the keys cannot express, e.g. an error that echoes the rejected value
   * of the field it names. Return undefined to leave the value to the key rules.
   */
  special?: (key: string, value: unknown, masker: Masker) => unknown;
}

/** A masker with the shared rules (@paymesh/telemetry's MASK_RULES) plus an adapter's own keys. */
export function createMasker(options: MaskerOptions = {}): Masker {
  const { special, ...keys } = options;
  const redactor = createRedactor({
    ...keys,
    ...(special === undefined ? {} : { special: (key, value) => special(key, value, masker) }),
  });
  // One node of a parsed body, children first, as JSON.parse revivers run.
  const rewrite = (key: string, value: unknown): unknown => {
    const own = special?.(key, value, masker);
    if (own !== undefined) return own;
    return typeof value === "string" ? redactor.maskField(key, value) : value;
  };
  const masker: Masker = {
    ...redactor,
    maskBody(text) {
      if (text === "") return text;
      try {
        return rewriteJson(text, rewrite);
      } catch {
        return redactor.maskText(text).replace(/\d{6,}/g, maskAccountNumber);
      }
    },
  };
  return masker;
}
