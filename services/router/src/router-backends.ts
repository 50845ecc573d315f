import { createMemoryIdempotencyStore, createRedisIdempotencyStore } from "@paymesh/idempotency";
import { openPaymentStore } from "@paymesh/store";
import type { RouterBackends } from "./router.ts";
import type { RouterConfig } from "./router-config.ts";

/**
 * Opens the backends the environment names: Postgres at DATABASE_URL (else PGlite, kept in
 * PAYMESH_DATA_DIR when set, else in memory) and Redis at REDIS_URL (else in process memory).
 * PAYMESH_DB_SCHEMA and PAYMESH_IDEMPOTENCY_PREFIX let several routers share one server apart
 * from others (tests).
 */
export async function openRouterBackends(
  config: RouterConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<
  Required<Pick<RouterBackends, "store" | "idempotency">> & {
    description: { store: string; idempotency: string };
  }
> {
  const store = await openPaymentStore({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.PAYMESH_DATA_DIR ? { dataDir: env.PAYMESH_DATA_DIR } : {}),
    ...(env.PAYMESH_DB_SCHEMA ? { schema: env.PAYMESH_DB_SCHEMA } : {}),
  });
  const idempotency = env.REDIS_URL
    ? createRedisIdempotencyStore({
        url: env.REDIS_URL,
        retentionMs: config.idempotencyRetentionMs,
        ...(env.PAYMESH_IDEMPOTENCY_PREFIX ? { keyPrefix: env.PAYMESH_IDEMPOTENCY_PREFIX } : {}),
      })
    : createMemoryIdempotencyStore({ retentionMs: config.idempotencyRetentionMs });
  return {
    store,
    idempotency,
    description: {
      store: env.DATABASE_URL
        ? "postgres"
        : env.PAYMESH_DATA_DIR
          ? `pglite (${env.PAYMESH_DATA_DIR})`
          : "pglite (in memory)",
      idempotency: env.REDIS_URL ? "redis" : "memory",
    },
  };
}
