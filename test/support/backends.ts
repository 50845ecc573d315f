import { createKeyRing, formatKeyRing, generateKeyEncryptionKey } from "@paymesh/store";

/** URLs of the real backends, when this run has them. */
export interface BackendUrls {
  databaseUrl: string;
  redisUrl: string;
}

/**
 * The real Postgres and Redis for tests that need both. Undefined on a machine without them (the
 * suite is then not run there); with PAYMESH_REQUIRE_BACKENDS=1, as CI sets, a missing URL is an
 * error, so CI can never pass by skipping.
 */
export function realBackends(): BackendUrls | undefined {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (databaseUrl && redisUrl) return { databaseUrl, redisUrl };
  if (process.env.PAYMESH_REQUIRE_BACKENDS === "1") {
    throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but DATABASE_URL and REDIS_URL are not both set");
  }
  return undefined;
}

/**
 * PAYMESH_KEK for routers on a real Postgres, which refuse to start without one: a random key of
 * this run, shared by every router the run starts so each can open what another sealed.
 */
export const TEST_KEK = formatKeyRing(createKeyRing([generateKeyEncryptionKey("test-run")]));

/** Drops a schema a test or benchmark created for itself in the shared Postgres. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', "")}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes every key under a prefix in the shared Redis (never FLUSHALL: others use it too). */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(redisUrl);
  try {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    redis.disconnect();
  }
}
