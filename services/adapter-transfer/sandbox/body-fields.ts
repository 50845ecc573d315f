import { XenditFailure } from "./xendit-failure.ts";

/** A parsed JSON object body. */
export type JsonObject = Record<string, unknown>;

/** Typed access to a request body's fields, throwing `API_VALIDATION_ERROR` naming the field. */
export interface FieldReader {
  string(name: string, maxLength?: number): string;
  optionalString(name: string, maxLength?: number): string | undefined;
  /** A JSON number that is a whole number of rupiah. */
  wholeNumber(name: string): number;
}

/**
 * Parses a body and returns a reader for its fields. Messages name the field the way Xendit's
 * validation messages do (`"amount" must be a number`; wording *unconfirmed*).
 */
export function readFields(raw: Buffer): FieldReader {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new XenditFailure("INVALID_JSON_FORMAT");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new XenditFailure("API_VALIDATION_ERROR", "body must be a JSON object");
  }
  const root = body as JsonObject;
  const invalid = (detail: string) => new XenditFailure("API_VALIDATION_ERROR", detail);

  function optionalString(name: string, maxLength = 1000): string | undefined {
    const value = root[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw invalid(`"${name}" must be a string`);
    if (value.length > maxLength) throw invalid(`"${name}" length must be at most ${maxLength}`);
    return value;
  }

  return {
    optionalString,
    string(name, maxLength) {
      const value = optionalString(name, maxLength);
      if (value === undefined || value.trim() === "") throw invalid(`"${name}" is required`);
      return value;
    },
    wholeNumber(name) {
      const value = root[name];
      if (value === undefined || value === null) throw invalid(`"${name}" is required`);
      if (typeof value !== "number") throw invalid(`"${name}" must be a number`);
      if (!Number.isSafeInteger(value)) throw invalid(`"${name}" must be an integer`);
      return value;
    },
  };
}
