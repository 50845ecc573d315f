import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/**
 * REDIS_URL for real-backend tests, or undefined to register none. With PAYMESH_REQUIRE_BACKENDS=1
 * (set by CI) a missing URL throws while the test file is collected, so a misconfigured pipeline
 * fails loudly instead of passing with the Redis tests silently absent.
 */
export function redisUrlForTests(): string | undefined {
  const url = process.env.REDIS_URL;
  if ((url === undefined || url === "") && process.env.PAYMESH_REQUIRE_BACKENDS === "1") {
    throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but REDIS_URL is not set: the Redis tests cannot run");
  }
  return url === "" ? undefined : url;
}

/** A key prefix no other test run uses, since other suites share the same Redis. */
export function uniqueTestPrefix(): string {
  return `paymesh:idem:test:${randomUUID()}:`;
}

/** Deletes this run's keys (never FLUSHDB: the Redis is shared). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
}
