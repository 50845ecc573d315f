import { currencyExponent, parseDecimalAmount } from "@paymesh/adapter-kit";
import { isRecord, type JsonRecord, readExactJson } from "./exact-numbers.ts";
import { notValid, wiseFailure } from "./wise-failure.ts";

/** Typed reads of a request body, each failing as Wise's `NOT_VALID` naming the field's path. */
export interface BodyFields {
  readonly record: JsonRecord;
  string(path: string, maxLength?: number): string;
  optionalString(path: string, maxLength?: number): string | undefined;
  /** A JSON number (read as text), e.g. an id. */
  integer(path: string): string;
  /** An amount at the currency's exponent, in minor units; undefined when absent or null. */
  optionalAmount(path: string, currency: string): bigint | undefined;
  optionalObject(path: string): JsonRecord | undefined;
}

function lookup(record: JsonRecord, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split(".")) current = isRecord(current) ? current[part] : undefined;
  return current === null ? undefined : current;
}

/**
 * Parses a JSON body with numbers kept as exact text. Not JSON at all is a 400, as Wise's HTTP
 * layer answers malformed bodies (*unconfirmed* code name).
 */
export function readFields(rawBody: Buffer): BodyFields {
  let parsed: unknown;
  try {
    parsed = readExactJson(rawBody.toString("utf8") || "{}");
  } catch {
    throw wiseFailure(400, "INVALID_REQUEST", "Request body is not valid JSON");
  }
  if (!isRecord(parsed)) throw wiseFailure(400, "INVALID_REQUEST", "Request body must be a JSON object");
  const record = parsed;
  const optionalString = (path: string, maxLength = 255): string | undefined => {
    const value = lookup(record, path);
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw notValid(path, `${path} must be a string`);
    if (value.length > maxLength) throw notValid(path, `${path} must be at most ${maxLength} characters`);
    return value;
  };
  return {
    record,
    optionalString,
    string(path, maxLength) {
      const value = optionalString(path, maxLength);
      if (value === undefined || value.trim() === "") throw notValid(path, `${path} is required`);
      return value;
    },
    integer(path) {
      const value = lookup(record, path);
      if (typeof value !== "string" || !/^\d+$/.test(value)) throw notValid(path, `${path} must be a number`);
      return value;
    },
    optionalAmount(path, currency) {
      const value = lookup(record, path);
      if (value === undefined) return undefined;
      const exponent = currencyExponent(currency);
      if (typeof value !== "string" || exponent === undefined || !/^\d+(\.\d+)?$/.test(value)) {
        throw notValid(path, `${path} must be a positive amount`, String(value));
      }
      try {
        return parseDecimalAmount(value, currency);
      } catch {
        throw notValid(path, `${path} has more than ${exponent} decimals for ${currency}`, value);
      }
    },
    optionalObject(path) {
      const value = lookup(record, path);
      if (value === undefined) return undefined;
      if (!isRecord(value)) throw notValid(path, `${path} must be an object`);
      return value;
    },
  };
}
