import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import {
  checkSchemaName,
  DEFAULT_SCHEMA,
  type QueryOptions,
  type SqlClient,
  type SqlQueryable,
  type SqlValue,
} from "./sql-client.ts";

/** Options for createPgSqlClient. */
export interface PgSqlClientOptions {
  /** A libpq connection URL, e.g. postgres://user@host:5432/db. */
  databaseUrl: string;
  /**
   * Schema for every pooled connection (created by the migrations if missing). Lets test files
   * running in parallel share one server without seeing each other's rows.
   * @default "public"
   */
  schema?: string;
  /** @default 10 */
  maxConnections?: number;
  /**
   * Called when an idle pooled connection fails (server restart, network cut). The pool drops the
   * connection and opens a new one on demand; without a listener node-postgres would crash the process.
   * @default ignore
   */
  onError?: (error: Error) => void;
}

const INT8_OID = 20;

/**
 * Postgres through a node-postgres Pool. int8 is parsed to bigint on every connection (node-postgres
 * returns strings by default): amounts beyond 2^53 must come back exactly.
 */
export function createPgSqlClient(options: PgSqlClientOptions): SqlClient {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    // A startup parameter rather than a SET after connecting: no statement can ever run on a
    // pooled connection before its search_path is in place.
    ...(schema === DEFAULT_SCHEMA ? {} : { options: `-c search_path=${schema}` }),
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === INT8_OID ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format),
    },
  });
  const onError = options.onError ?? (() => {});
  pool.on("error", (error) => onError(error));

  const runOn = async (
    runner: pg.Pool | pg.PoolClient,
    text: string,
    params: readonly SqlValue[] = [],
    options: QueryOptions = {},
  ) => {
    const values = [...params];
    const result = await (options.prepare === true
      ? runner.query({ name: statementName(text), text, values })
      : runner.query(text, values));
    return result.rows;
  };
  // One COPY statement: Postgres applies it whole or not at all, so a source that throws midway
  // (pipeline then destroys the stream, which sends CopyFail) leaves no row behind.
  const copyOn = async (connection: pg.PoolClient, target: string, csv: AsyncIterable<string>) => {
    const copy = connection.query(copyFromStdin(`COPY ${target} FROM STDIN WITH (FORMAT csv)`));
    await pipeline(Readable.from(csv, { objectMode: false }), copy);
    return copy.rowCount;
  };

  return {
    schema,
    query: (text, params, options) => runOn(pool, text, params, options),
    async copyFrom(target, csv) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        return await copyOn(connection, target, csv);
      } catch (error) {
        // After a failed COPY the connection is usable again, but a stream torn down mid-protocol
        // is not worth the risk of a poisoned pooled connection.
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        connection.release(broken);
      }
    },
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      // A connection whose ROLLBACK failed is in an unknown state: destroy it instead of pooling it.
      let broken: Error | undefined;
      try {
        await connection.query("BEGIN");
        const result = await fn({
          query: (text, params, options) => runOn(connection, text, params, options),
          copyFrom: (target, csv) => copyOn(connection, target, csv),
        });
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await connection.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        connection.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

// A prepared statement's name stands for its text on every connection, so it is derived from the
// text: two texts never share a name, and one text always gets the same one.
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `paymesh_${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
    // Bounded: only a few statement shapes are ever prepared; past this, names are recomputed.
    if (statementNames.size < 1024) statementNames.set(text, name);
  }
  return name;
}
