import { Cluster, Redis, type RedisOptions } from "ioredis";
import { IdempotencyUnavailableError } from "./idempotency-unavailable-error.ts";
import { defineIdempotencyScripts, type RedisClient, type ScriptedRedis } from "./redis-scripts.ts";

/** What {@link openRedisConnection} needs; defaults are resolved by the store factory. */
export interface RedisConnectionOptions {
  url: string;
  /** Seed nodes ("host:port") of a Redis Cluster; when given, `url` is not used. */
  clusterNodes: readonly string[] | undefined;
  redis: RedisClient | undefined;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  onConnectionError: ((error: Error) => void) | undefined;
}

/** A Redis client plus the means to wait, boundedly, for it to be usable. */
export interface RedisConnection {
  readonly redis: ScriptedRedis;
  /** Resolves when the client can send; rejects with IdempotencyUnavailableError after `waitMs`. */
  ready(waitMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens (or adopts) the client. An owned client is configured to fail closed: no offline queue
 * (a command queued during an outage would run minutes later, after its caller gave up), no resend
 * of in-flight commands after a reconnect (its caller has already been told it failed), a connect timeout
 * and a per-command timeout; it keeps reconnecting in the background so service resumes by itself.
 */
export function openRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const owned = options.redis === undefined;
  const failClosed: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
  };
  // Capped low because every request fails while we are disconnected.
  const retryDelay = (attempt: number): number => Math.min(attempt * 100, 1000);
  const client: RedisClient =
    options.redis ??
    (options.clusterNodes === undefined
      ? new Redis(options.url, {
          ...failClosed,
          retryStrategy: retryDelay,
          // After a failover the old primary answers READONLY; reconnecting finds the new one.
          reconnectOnError: (error) => error.message.startsWith("READONLY"),
        })
      : new Cluster(options.clusterNodes.map(clusterNode), {
          enableOfflineQueue: false,
          redisOptions: failClosed,
          clusterRetryStrategy: retryDelay,
          // A slot that moved (MOVED/ASK) is followed within the same command; after a failover the
          // cluster's slot map is refreshed from any node that answers.
          retryDelayOnFailover: 100,
        }));
  const redis = defineIdempotencyScripts(client);
  // The latest connection error, attached as `cause` so an outage says why.
  let lastError: Error | undefined;
  let closed = false;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of waiters) waiter();
    waiters.clear();
  };
  const onError = (error: Error): void => {
    lastError = error;
    options.onConnectionError?.(error);
  };
  const onReady = (): void => {
    lastError = undefined;
    wake();
  };
  redis.on("ready", onReady);
  redis.on("end", wake);
  // Only on our own client: a listener on a borrowed one would silence its owner's error logging.
  if (owned) redis.on("error", onError);

  const unavailable = (message: string): IdempotencyUnavailableError =>
    new IdempotencyUnavailableError(message, { cause: lastError });

  return {
    redis,
    async ready(waitMs) {
      if (closed) throw unavailable("the idempotency store is closed");
      if (redis.status === "ready") return;
      if (redis.status === "end") throw unavailable("the Redis client has been closed");
      // A borrowed client created with lazyConnect has not started connecting yet.
      if (redis.status === "wait") redis.connect().catch(onError);
      await new Promise<void>((resolve, reject) => {
        const waiter = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(unavailable(`Redis is not reachable (waited ${waitMs} ms for a connection)`));
        }, waitMs);
        waiters.add(waiter);
      });
      if (closed) throw unavailable("the idempotency store is closed");
      // Woken by "end" as well as "ready"; read the status afresh (TypeScript still has it narrowed).
      const status: string = redis.status;
      if (status !== "ready") throw unavailable(`the Redis client is ${status}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      redis.off("ready", onReady);
      redis.off("end", wake);
      wake();
      if (!owned) return;
      // QUIT lets in-flight replies arrive; when it cannot be sent, drop the socket instead.
      // The error listener stays: a late socket error must not become an unhandled "error" event.
      // (Sending QUIT while disconnected would only leave ioredis's command timer running.)
      if (redis.status === "ready") await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/** "host:port" as ioredis's Cluster takes a seed node; a clear error for anything else. */
function clusterNode(node: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(node.trim());
  const port = Number(match?.[2]);
  if (match === null || match[1] === undefined || !(port > 0 && port < 65_536))
    throw new RangeError(`a Redis Cluster node must be "host:port", got ${JSON.stringify(node)}`);
  return { host: match[1], port };
}
