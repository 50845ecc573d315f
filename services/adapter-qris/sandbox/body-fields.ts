import { parseSnapAmount, parseSnapTimestamp } from "@paymesh/snap";
import { snapFailure } from "./snap-failure.ts";

/** A parsed JSON object body. */
export type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Typed access to a request body's fields that throws the SNAP error naming the field at fault. */
export interface FieldReader {
  string(name: string, maxLength?: number): string;
  optionalString(name: string, maxLength?: number): string | undefined;
  /** An IDR amount object in minor units; must be positive. */
  amount(name: string): bigint;
  optionalTimestamp(name: string): Date | undefined;
  optionalObject(name: string): JsonObject | undefined;
}

/**
 * Parses a body and returns a reader for its fields. Errors follow docs/providers.md: a missing field is
 * `400xx02`, a present but malformed one `400xx01`, each naming the field so a partner can fix it.
 */
export function readFields(raw: Buffer, serviceCode: string): FieldReader {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw snapFailure("invalidFieldFormat", serviceCode, "[body is not JSON]");
  }
  if (!isObject(body)) throw snapFailure("invalidFieldFormat", serviceCode, "[body is not a JSON object]");
  const root = body;
  const missing = (name: string) => snapFailure("missingMandatoryField", serviceCode, `{${name}}`);
  const invalid = (name: string) => snapFailure("invalidFieldFormat", serviceCode, `{${name}}`);

  function optionalString(name: string, maxLength = 256, from = root, label = name): string | undefined {
    const value = from[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string" || value.length > maxLength) throw invalid(label);
    return value;
  }
  function string(name: string, maxLength = 256, from = root, label = name): string {
    const value = optionalString(name, maxLength, from, label);
    if (value === undefined) throw missing(label);
    return value;
  }

  return {
    string: (name, maxLength) => string(name, maxLength),
    optionalString: (name, maxLength) => optionalString(name, maxLength),
    amount(name) {
      const value = root[name];
      if (value === undefined || value === null) throw missing(name);
      if (!isObject(value)) throw invalid(name);
      const amount = {
        value: string("value", 32, value, `${name}.value`),
        currency: string("currency", 3, value, `${name}.currency`),
      };
      if (amount.currency !== "IDR") throw invalid(`${name}.currency`);
      let minorUnits: bigint;
      try {
        minorUnits = parseSnapAmount(amount);
      } catch {
        throw invalid(`${name}.value`);
      }
      if (minorUnits <= 0n) throw invalid(`${name}.value`);
      return minorUnits;
    },
    optionalTimestamp(name) {
      const value = optionalString(name, 40);
      if (value === undefined) return undefined;
      try {
        return parseSnapTimestamp(value);
      } catch {
        throw invalid(name);
      }
    },
    optionalObject(name) {
      const value = root[name];
      if (value === undefined || value === null) return undefined;
      if (!isObject(value)) throw invalid(name);
      return value;
    },
  };
}
