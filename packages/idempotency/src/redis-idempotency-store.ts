import { randomUUID } from "node:crypto";
import { assertDurationMs, DEFAULT_RETENTION_MS } from "./durations.ts";
import type { IdempotencyStore } from "./idempotency-store.ts";
import {
  IdempotencyUnavailableError,
  isIdempotencyUnavailableError,
} from "./idempotency-unavailable-error.ts";
import { openRedisConnection } from "./redis-connection.ts";
import { assertKeyPrefix, redisKey } from "./redis-key.ts";
import { parseClaimReply, parseFlagReply, type RedisClient } from "./redis-scripts.ts";

/** Options of {@link createRedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** Where Redis is; ignored when `redis` or `clusterNodes` is given. @default "redis://127.0.0.1:6379" */
  url?: string | undefined;
  /**
   * Seed nodes ("host:port") of a Redis Cluster to use instead of one Redis. Keys are hash-tagged by
   * caller (redisKey), so each script's one key lives on one shard and a caller's keys share a slot.
   */
  clusterNodes?: readonly string[] | undefined;
  /**
   * An existing client to share; the store does not close it. Configure it like the store's own
   * (`enableOfflineQueue: false`, `maxRetriesPerRequest: 0`): the store still bounds every call
   * with its timeouts, but cannot stop a queued command from running after the caller gave up.
   */
  redis?: RedisClient | undefined;
  /** Namespace of every key; must not contain braces. @default "paymesh:idem:" */
  keyPrefix?: string | undefined;
  /** How long a finished response is kept and replayed. @default 86_400_000 (24 h) */
  retentionMs?: number | undefined;
  /** Longest wait for one script's reply before failing closed. @default 500 */
  commandTimeoutMs?: number | undefined;
  /** Longest wait for a connection (at startup or while reconnecting) before failing closed. @default 1000 */
  connectTimeoutMs?: number | undefined;
  /** Claim tokens; they must be unguessable, since a token lets its holder complete the key. @default randomUUID */
  newToken?: (() => string) | undefined;
  /** Told about each connection error of the store's own client, e.g. to log or count it. */
  onConnectionError?: ((error: Error) => void) | undefined;
}

/**
 * The idempotency store for running more than one router: Redis, one Lua script per operation.
 * Every failure to get an answer from Redis (unreachable, timed out, error reply) rejects with
 * IdempotencyUnavailableError within about connectTimeoutMs + commandTimeoutMs, so a Redis outage
 * turns into UNAVAILABLE rather than a hang or a skipped check.
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions = {}): IdempotencyStore {
  const keyPrefix = options.keyPrefix ?? "paymesh:idem:";
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const newToken = options.newToken ?? randomUUID;
  assertKeyPrefix(keyPrefix);
  assertDurationMs("retentionMs", retentionMs);
  assertDurationMs("commandTimeoutMs", commandTimeoutMs);
  assertDurationMs("connectTimeoutMs", connectTimeoutMs);
  const connection = openRedisConnection({
    url: options.url ?? "redis://127.0.0.1:6379",
    clusterNodes: options.clusterNodes,
    redis: options.redis,
    commandTimeoutMs,
    connectTimeoutMs,
    onConnectionError: options.onConnectionError,
  });
  const { redis } = connection;

  async function run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    await connection.ready(connectTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    // Our own deadline as well as ioredis's commandTimeout, which a borrowed client may lack.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no reply from Redis within ${commandTimeoutMs} ms`)),
        commandTimeoutMs,
      );
    });
    try {
      return await Promise.race([call(), deadline]);
    } catch (error) {
      if (isIdempotencyUnavailableError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new IdempotencyUnavailableError(`idempotency ${operation} failed: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async claim(scope, fingerprint, leaseMs) {
      assertDurationMs("leaseMs", leaseMs);
      const token = newToken();
      const key = redisKey(keyPrefix, scope);
      return run("claim", async () =>
        parseClaimReply(await redis.paymeshIdemClaimBuffer(key, fingerprint, token, leaseMs), token),
      );
    },
    async complete(scope, token, response) {
      const key = redisKey(keyPrefix, scope);
      // A view, not a copy: ioredis writes the bytes out as they are.
      const bytes = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
      return run("complete", async () =>
        parseFlagReply("complete", await redis.paymeshIdemComplete(key, token, bytes, retentionMs)),
      );
    },
    async release(scope, token) {
      const key = redisKey(keyPrefix, scope);
      await run("release", async () => parseFlagReply("release", await redis.paymeshIdemRelease(key, token)));
    },
    async ping() {
      await run("ping", () => redis.ping());
    },
    close: () => connection.close(),
  };
}
