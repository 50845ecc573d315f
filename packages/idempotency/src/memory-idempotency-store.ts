import { randomUUID } from "node:crypto";
import { assertDurationMs, DEFAULT_RETENTION_MS } from "./durations.ts";
import type { ClaimResult, IdempotencyScope, IdempotencyStore } from "./idempotency-store.ts";
import { IdempotencyUnavailableError } from "./idempotency-unavailable-error.ts";

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** How long a finished response is kept and replayed. @default 86_400_000 (24 h) */
  retentionMs?: number | undefined;
  /** Milliseconds since the epoch; injectable so tests can expire leases without waiting. @default Date.now */
  clock?: (() => number) | undefined;
  /** Claim tokens; they must be unguessable, since a token lets its holder complete the key. @default randomUUID */
  newToken?: (() => string) | undefined;
  /** How often expired entries are dropped; expiry itself is exact, this only bounds memory. @default 60_000 */
  pruneIntervalMs?: number | undefined;
}

/** The memory store also tells how many entries it holds, so tests and metrics can see pruning work. */
export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** Entries held, including expired ones not yet pruned. */
  size(): number;
}

type Entry =
  | { state: "running"; fingerprint: string; token: string; expiresAt: number }
  | { state: "done"; fingerprint: string; response: Uint8Array; expiresAt: number };

/**
 * The idempotency store of the embedded default (one router process, nothing to install): the same
 * semantics as the Redis store, in process memory. JavaScript runs each call to the end without
 * interleaving, so every operation is atomic without locks. Entries are lost on exit.
 */
export function createMemoryIdempotencyStore(
  options: MemoryIdempotencyStoreOptions = {},
): MemoryIdempotencyStore {
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const clock = options.clock ?? Date.now;
  const newToken = options.newToken ?? randomUUID;
  const pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
  assertDurationMs("retentionMs", retentionMs);
  assertDurationMs("pruneIntervalMs", pruneIntervalMs);
  const entries = new Map<string, Entry>();
  let closed = false;

  // JSON of the pair is one-to-one, unlike joining with a separator the caller's name may contain.
  const mapKey = (scope: IdempotencyScope): string => JSON.stringify([scope.caller, scope.key]);

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined || entry.expiresAt > clock()) return entry;
    entries.delete(key);
    return undefined;
  };

  const assertOpen = (): void => {
    if (closed) throw new IdempotencyUnavailableError("the idempotency store is closed");
  };

  const pruner = setInterval(() => {
    for (const key of entries.keys()) live(key);
  }, pruneIntervalMs);
  // Pruning only saves memory; it must not keep a process alive that has nothing else to do.
  pruner.unref();

  return {
    size: () => entries.size,
    async claim(scope, fingerprint, leaseMs): Promise<ClaimResult> {
      assertOpen();
      assertDurationMs("leaseMs", leaseMs);
      const key = mapKey(scope);
      const entry = live(key);
      if (entry === undefined) {
        const token = newToken();
        entries.set(key, { state: "running", fingerprint, token, expiresAt: clock() + leaseMs });
        return { kind: "claimed", token };
      }
      if (entry.fingerprint !== fingerprint) return { kind: "mismatch" };
      if (entry.state === "running") return { kind: "in_progress" };
      // Copies both ways: the bytes are replayed verbatim even if a caller mutates its array.
      return { kind: "completed", response: new Uint8Array(entry.response) };
    },
    async complete(scope, token, response) {
      assertOpen();
      const key = mapKey(scope);
      const entry = live(key);
      if (entry?.state !== "running" || entry.token !== token) return false;
      entries.set(key, {
        state: "done",
        fingerprint: entry.fingerprint,
        response: new Uint8Array(response),
        expiresAt: clock() + retentionMs,
      });
      return true;
    },
    async release(scope, token) {
      assertOpen();
      const key = mapKey(scope);
      const entry = live(key);
      if (entry?.state === "running" && entry.token === token) entries.delete(key);
    },
    async ping() {
      assertOpen();
    },
    async close() {
      closed = true;
      clearInterval(pruner);
      entries.clear();
    },
  };
}
