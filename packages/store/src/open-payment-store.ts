import type { KeyRing } from "./key-ring.ts";
import { createPgSqlClient } from "./pg-sql-client.ts";
import { createPgliteSqlClient } from "./pglite-sql-client.ts";
import type { SqlClient } from "./sql-client.ts";
import { createSqlPaymentStore, type SqlPaymentStore } from "./sql-payment-store.ts";

/** Options for openPaymentStore; every backend choice comes from here, none from the environment. */
export interface OpenPaymentStoreOptions {
  /**
   * Postgres to use (the router passes DATABASE_URL). Empty or absent: embedded PGlite.
   * @default undefined
   */
  databaseUrl?: string;
  /**
   * Where embedded PGlite keeps its files when there is no databaseUrl.
   * @default in memory, lost on exit
   */
  dataDir?: string;
  /**
   * A schema of its own, created when missing: isolates test runs sharing one Postgres.
   * @default "public"
   */
  schema?: string;
  /** @default () => new Date() */
  clock?: () => Date;
  /** Month partitions created ahead of the clock. @default 3 */
  monthsAhead?: number;
  /** Failures of background work (partition upkeep, idle Postgres connections). @default ignore */
  onError?: (error: unknown) => void;
  /** Seal and open payment methods (SqlPaymentStoreOptions.keys). @default a random key of this instance */
  keys?: KeyRing;
}

/**
 * Opens the durable payment store: Postgres when a URL is given, otherwise PGlite, so `pnpm start`
 * needs no database server (docs/architecture.md §6). Migrations and partitions are in place on return.
 */
export async function openPaymentStore(options: OpenPaymentStoreOptions = {}): Promise<SqlPaymentStore> {
  const schema = options.schema === undefined ? {} : { schema: options.schema };
  const onError = options.onError === undefined ? {} : { onError: options.onError };
  const sql: SqlClient =
    options.databaseUrl !== undefined && options.databaseUrl !== ""
      ? createPgSqlClient({ databaseUrl: options.databaseUrl, ...schema, ...onError })
      : await createPgliteSqlClient({
          ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
          ...schema,
        });
  try {
    return await createSqlPaymentStore({
      sql,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.monthsAhead === undefined ? {} : { monthsAhead: options.monthsAhead }),
      ...(options.keys === undefined ? {} : { keys: options.keys }),
      ...onError,
    });
  } catch (error) {
    // Migration or partition failure: do not leak the pool (it would keep the process alive).
    await sql.close().catch(() => {});
    throw error;
  }
}
