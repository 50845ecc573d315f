import type { Cluster, Redis } from "ioredis";
import type { ClaimResult } from "./idempotency-store.ts";

// Each operation is one script so it is atomic and costs one round trip: a GET-then-SET from the
// client would let two routers both see "absent" and both charge. The entry is a hash:
//   state        "running" | "done"
//   fingerprint  hash of the canonical request, to tell a retry from a reused key
//   token        the current claimant's secret (running only), so a claimant whose lease expired
//                cannot overwrite or delete its successor's entry
//   response     the finished response bytes (done only)
// The key's TTL is the lease while running and the retention once done.

/** KEYS[1] entry; ARGV fingerprint, token, leaseMs. Replies {kind} or {"completed", response}. */
const CLAIM = `
local entry = redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'response')
if not entry[1] then
  redis.call('HSET', KEYS[1], 'state', 'running', 'fingerprint', ARGV[1], 'token', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'claimed'}
end
if entry[2] ~= ARGV[1] then return {'mismatch'} end
if entry[1] == 'running' then return {'in_progress'} end
return {'completed', entry[3] or ''}
`;

/** KEYS[1] entry; ARGV token, response, retentionMs. Replies 1 if stored, 0 if the lease was lost. */
const COMPLETE = `
local entry = redis.call('HMGET', KEYS[1], 'state', 'token')
if entry[1] ~= 'running' or entry[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'response', ARGV[2])
redis.call('HDEL', KEYS[1], 'token')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** KEYS[1] entry; ARGV token. Deletes only the caller's own running claim. */
const RELEASE = `
local entry = redis.call('HMGET', KEYS[1], 'state', 'token')
if entry[1] ~= 'running' or entry[2] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

/**
 * A single Redis or a Redis Cluster client. Every script touches one key, and a key's hash tag is
 * its caller (redisKey), so the scripts run unchanged on a cluster.
 */
export type RedisClient = Redis | Cluster;

/** The scripts {@link defineIdempotencyScripts} attaches. */
interface IdempotencyScripts {
  // Buffer variant: the response is arbitrary bytes and must not be decoded as UTF-8.
  paymeshIdemClaimBuffer(key: string, fingerprint: string, token: string, leaseMs: number): Promise<unknown>;
  paymeshIdemComplete(key: string, token: string, response: Buffer, retentionMs: number): Promise<unknown>;
  paymeshIdemRelease(key: string, token: string): Promise<unknown>;
}

/** A client with the idempotency scripts attached by {@link defineIdempotencyScripts}. */
export type ScriptedRedis = RedisClient & IdempotencyScripts;

/**
 * Registers the scripts with ioredis, which sends EVALSHA and falls back to EVAL when Redis answers
 * NOSCRIPT (after a restart or failover the script cache is empty). Names are namespaced because
 * the client may be shared with other code.
 */
export function defineIdempotencyScripts(redis: RedisClient): ScriptedRedis {
  redis.defineCommand("paymeshIdemClaim", { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand("paymeshIdemComplete", { numberOfKeys: 1, lua: COMPLETE });
  redis.defineCommand("paymeshIdemRelease", { numberOfKeys: 1, lua: RELEASE });
  return redis as ScriptedRedis;
}

/** Turns the claim script's reply into a ClaimResult; `token` is the one this call proposed. */
export function parseClaimReply(reply: unknown, token: string): ClaimResult {
  if (!Array.isArray(reply) || !Buffer.isBuffer(reply[0])) throw unexpected("claim", reply);
  const kind = reply[0].toString("latin1");
  if (kind === "claimed") return { kind, token };
  if (kind === "in_progress" || kind === "mismatch") return { kind };
  const response: unknown = reply[1];
  if (kind === "completed" && Buffer.isBuffer(response)) {
    // A copy, not a view: ioredis may hand out slices of a larger socket buffer.
    return { kind, response: new Uint8Array(response) };
  }
  throw unexpected("claim", reply);
}

/** The complete/release scripts reply 1 or 0. */
export function parseFlagReply(operation: string, reply: unknown): boolean {
  if (reply === 1 || reply === 0) return reply === 1;
  throw unexpected(operation, reply);
}

function unexpected(operation: string, reply: unknown): Error {
  return new Error(`unexpected reply from the ${operation} script: ${String(reply)}`);
}
