import type { JsonValue } from "@bufbuild/protobuf";
import type { SqlRow } from "./sql-client.ts";

// Typed reads of one column. A value of the wrong type means the schema and this code disagree
// (or a driver decodes differently); failing here beats handing the router a corrupt payment.

function column(row: SqlRow, name: string): unknown {
  if (!(name in row)) throw new Error(`row has no column ${name}`);
  return row[name];
}

function mismatch(name: string, expected: string, value: unknown): Error {
  return new Error(`column ${name}: expected ${expected}, got ${value === null ? "null" : typeof value}`);
}

/** Whether a column holds NULL (the column must exist). */
export function isNull(row: SqlRow, name: string): boolean {
  return column(row, name) === null;
}

/** A text column. */
export function readText(row: SqlRow, name: string): string {
  const value = column(row, name);
  if (typeof value !== "string") throw mismatch(name, "text", value);
  return value;
}

/** An int4 column, which both drivers decode as a number. */
export function readInt(row: SqlRow, name: string): number {
  const value = column(row, name);
  if (typeof value !== "number" || !Number.isInteger(value)) throw mismatch(name, "integer", value);
  return value;
}

/** An int8 column: money and durations, exact beyond 2^53. */
export function readBigint(row: SqlRow, name: string): bigint {
  const value = column(row, name);
  if (typeof value !== "bigint") throw mismatch(name, "bigint", value);
  return value;
}

/** A boolean column. */
export function readBoolean(row: SqlRow, name: string): boolean {
  const value = column(row, name);
  if (typeof value !== "boolean") throw mismatch(name, "boolean", value);
  return value;
}

/** A timestamptz column. */
export function readDate(row: SqlRow, name: string): Date {
  const value = column(row, name);
  if (!(value instanceof Date)) throw mismatch(name, "timestamptz", value);
  return value;
}

/** A nullable timestamptz column. */
export function readOptionalDate(row: SqlRow, name: string): Date | undefined {
  return column(row, name) === null ? undefined : readDate(row, name);
}

/** A bytea column, copied into a plain Uint8Array (node-postgres hands out a pooled Buffer). */
export function readBytes(row: SqlRow, name: string): Uint8Array {
  const value = column(row, name);
  if (!(value instanceof Uint8Array)) throw mismatch(name, "bytea", value);
  return new Uint8Array(value);
}

/** A nullable jsonb column; the driver has already parsed it, so whatever it holds is JSON. */
export function readJson(row: SqlRow, name: string): JsonValue | undefined {
  const value = column(row, name);
  if (value === null) return undefined;
  if (value === undefined || typeof value === "function" || typeof value === "bigint")
    throw mismatch(name, "jsonb", value);
  return value as JsonValue;
}

/** A jsonb column holding an object of strings (payment metadata). */
export function readStringMap(row: SqlRow, name: string): Record<string, string> {
  const value = readJson(row, name);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw mismatch(name, "object", value);
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") throw mismatch(`${name}.${key}`, "string", entry);
    map[key] = entry;
  }
  return map;
}
