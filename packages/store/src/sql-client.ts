/**
 * A value the store binds to a query parameter. Both drivers serialize these the same way:
 * bigint for int8, Uint8Array for bytea, string[] for text[], a JSON string for jsonb.
 */
export type SqlValue = string | number | bigint | boolean | Date | Uint8Array | null | readonly string[];

/**
 * One result row, column name to value. Values are unknown on purpose: row-values.ts checks each
 * one, so a driver that decodes a type differently fails loudly instead of corrupting a payment.
 */
export type SqlRow = Readonly<Record<string, unknown>>;

/** How SqlQueryable.query runs a statement. */
export interface QueryOptions {
  /** Keep the statement prepared on the connection (node-postgres). @default false */
  prepare?: boolean;
}

/** What a statement runs on: the whole client, or one open transaction. */
export interface SqlQueryable {
  /**
   * Runs one statement. int8 comes back as bigint, timestamptz as Date, bytea as Uint8Array.
   * With `prepare`, node-postgres keeps the statement parsed on each connection (a named prepared
   * statement, named by a hash of its text), so the server parses and plans it once per connection,
   * not on every call: for the few hot statements a payment runs. PGlite ignores it.
   */
  query(text: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<SqlRow[]>;
  /**
   * Bulk-loads CSV rows into `target` ("table (column, ...)", trusted SQL, never input) with COPY,
   * never row by row, and returns how many rows it loaded. `csv` yields text pieces holding whole
   * rows, each ending in a newline. It is consumed with bounded memory: node-postgres streams it as
   * COPY FROM STDIN with backpressure, PGlite loads it through COPY FROM '/dev/blob' in chunks.
   * If `csv` throws, nothing it yielded stays loaded in the transaction's outcome.
   */
  copyFrom(target: string, csv: AsyncIterable<string>): Promise<number>;
}

/**
 * The smallest surface the SQL payment store needs, so one implementation serves node-postgres
 * and PGlite alike. Anything driver-specific (pooling, type parsers, search_path) stays behind it.
 */
export interface SqlClient extends SqlQueryable {
  /** The schema every statement resolves unqualified names in: "public" unless isolated. */
  readonly schema: string;
  /**
   * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws. Statements inside must go through `tx`, never the client (PGlite would deadlock).
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The schema used when the caller does not isolate itself. */
export const DEFAULT_SCHEMA = "public";

/**
 * Schema names end up inside DDL and a search_path setting, where parameters are not allowed;
 * restricting them to plain lower-case identifiers makes interpolating them safe.
 */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `schema name ${JSON.stringify(schema)} must match [a-z_][a-z0-9_]* (at most 63 characters)`,
    );
  }
  return schema;
}

/**
 * Takes a transaction-scoped advisory lock named `name` in the client's schema: DDL that two
 * routers may run at the same moment (migrations, new partitions) then runs one process at a time,
 * and the lock is released by COMMIT or ROLLBACK even if the process dies.
 */
export async function lockForTransaction(tx: SqlQueryable, schema: string, name: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`paymesh:${schema}:${name}`]);
}

/**
 * Like lockForTransaction, but gives up at once: false when another transaction holds the lock
 * (another router's outbox relay, say), in which case the caller leaves the work to it.
 */
export async function tryLockForTransaction(
  tx: SqlQueryable,
  schema: string,
  name: string,
): Promise<boolean> {
  const rows = await tx.query("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked", [
    `paymesh:${schema}:${name}`,
  ]);
  return rows[0]?.locked === true;
}
