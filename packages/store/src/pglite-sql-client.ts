import { PGlite, type Transaction } from "@electric-sql/pglite";
import { inSpan } from "@paymesh/telemetry/trace-context";
import { checkSchemaName, DEFAULT_SCHEMA, type SqlClient, type SqlRow, type SqlValue } from "./sql-client.ts";

const INT8_OID = 20;

/**
 * Bytes of CSV handed to one COPY FROM '/dev/blob'. PGlite takes a whole Blob per statement, so a
 * report is loaded as many COPY statements of about this size: memory stays bounded by the chunk,
 * not the report.
 */
const COPY_CHUNK_BYTES = 4 * 1024 * 1024;

/** Loads `csv` in chunks; inside one transaction, so a source that throws leaves nothing loaded. */
function copyInChunks(tx: Transaction, target: string, csv: AsyncIterable<string>): Promise<number> {
  const statement = `COPY ${target} FROM '/dev/blob' WITH (FORMAT csv)`;
  return traced("pglite.copy", statement, async () => {
    let rows = 0;
    let pieces: string[] = [];
    let size = 0;
    const flush = async () => {
      if (pieces.length === 0) return;
      const result = await tx.query(statement, [], { blob: new Blob(pieces) });
      rows += result.affectedRows ?? 0;
      pieces = [];
      size = 0;
    };
    for await (const piece of csv) {
      pieces.push(piece);
      size += piece.length;
      if (size >= COPY_CHUNK_BYTES) await flush();
    }
    await flush();
    return rows;
  });
}

/** Options for createPgliteSqlClient. */
export interface PgliteSqlClientOptions {
  /**
   * Directory holding the database files, created when missing. One process at a time: PGlite is
   * a single embedded Postgres, not a server.
   * @default in memory, gone when the process exits
   */
  dataDir?: string;
  /** @default "public" */
  schema?: string;
}

/**
 * Embedded Postgres (PGlite, Postgres compiled to WebAssembly) so `pnpm start` and the tests need no
 * database server, while running exactly the SQL the real Postgres runs. PGlite decodes bytea as
 * Uint8Array and serializes statements itself: it is one connection.
 */
export async function createPgliteSqlClient(options: PgliteSqlClientOptions = {}): Promise<SqlClient> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const db = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    // PGlite decodes int8 as a number when it fits 2^53 and a bigint only beyond: one type, always.
    parsers: { [INT8_OID]: (value: string) => BigInt(value) },
  });
  // One session for the life of the client, so setting the path once covers every statement.
  if (schema !== DEFAULT_SCHEMA) await db.query(`SET search_path TO ${schema}`);

  return {
    schema,
    query: (text: string, params: readonly SqlValue[] = []) =>
      traced("pglite.query", text, async () => (await db.query<SqlRow>(text, [...params])).rows),
    copyFrom: (target, csv) => db.transaction((tx) => copyInChunks(tx, target, csv)),
    transaction: (fn) =>
      traced("pglite.transaction", undefined, () =>
        db.transaction((tx) =>
          fn({
            query: (text: string, params: readonly SqlValue[] = []) =>
              traced("pglite.query", text, async () => (await tx.query<SqlRow>(text, [...params])).rows),
            copyFrom: (target, csv) => copyInChunks(tx, target, csv),
          }),
        ),
      ),
    close: () => db.close(),
  };
}

// No driver instrumentation knows PGlite, so its statements are spans of our own, inside a trace
// only (like pg's with requireParentSpan): the statement text, never the values bound to it.
function traced<T>(name: string, text: string | undefined, work: () => Promise<T>): Promise<T> {
  const attributes = {
    "db.system.name": "postgresql",
    ...(text === undefined ? {} : { "db.query.text": text }),
  };
  return inSpan(name, { requireParent: true, attributes }, () => work());
}
