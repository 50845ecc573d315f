import { createHash } from "node:crypto";
import type { IdempotencyScope } from "./idempotency-store.ts";

/**
 * The Redis key of a scope: `${prefix}{${caller}}:${sha256hex(key)}`.
 *
 * The caller is the hash tag, so in Redis Cluster all of one service's keys share a slot and a
 * failover of one shard affects few callers. Braces in the caller are percent-encoded (and `%`
 * with them, so the encoding stays one-to-one): a caller named `a}b` would otherwise end the tag
 * early and let two callers' tags collide. The client's key is hashed: clients choose it, so its
 * length and characters are unbounded, while the Redis key stays short and printable.
 */
export function redisKey(prefix: string, scope: IdempotencyScope): string {
  const keyHash = createHash("sha256").update(scope.key, "utf8").digest("hex");
  return `${prefix}{${encodeHashTag(scope.caller)}}:${keyHash}`;
}

/** Prefixes that contain braces would move the hash tag into the prefix and defeat it. */
export function assertKeyPrefix(prefix: string): void {
  if (/[{}]/.test(prefix)) {
    throw new RangeError(`keyPrefix must not contain "{" or "}" (they delimit the hash tag): ${prefix}`);
  }
}

function encodeHashTag(caller: string): string {
  return caller.replace(/[%{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
