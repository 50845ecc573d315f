import { afterEach, describe, expect, it, vi } from "vitest";
import { runIdempotencyStoreContract } from "./contract/index.ts";
import { isIdempotencyUnavailableError } from "./idempotency-unavailable-error.ts";
import { createMemoryIdempotencyStore } from "./memory-idempotency-store.ts";

runIdempotencyStoreContract("memory", async ({ retentionMs }) =>
  createMemoryIdempotencyStore({ retentionMs }),
);

describe("createMemoryIdempotencyStore", () => {
  const scope = { caller: "router", key: "k" };
  afterEach(() => {
    vi.useRealTimers();
  });

  it("expires leases and retention by the injected clock", async () => {
    let now = 1_000;
    const store = createMemoryIdempotencyStore({ clock: () => now, retentionMs: 5_000 });
    const first = await store.claim(scope, "fp", 100);
    now += 99;
    expect(await store.claim(scope, "fp", 100)).toEqual({ kind: "in_progress" });
    now += 1;
    const second = await store.claim(scope, "fp", 100);
    expect(second.kind).toBe("claimed");
    if (first.kind !== "claimed" || second.kind !== "claimed") throw new Error("expected claims");
    expect(await store.complete(scope, first.token, new Uint8Array([1]))).toBe(false);
    expect(await store.complete(scope, second.token, new Uint8Array([2]))).toBe(true);
    now += 4_999;
    expect(await store.claim(scope, "fp", 100)).toEqual({ kind: "completed", response: new Uint8Array([2]) });
    now += 1;
    expect((await store.claim(scope, "fp-other", 100)).kind).toBe("claimed");
    await store.close();
  });

  it("prunes expired entries in the background", async () => {
    vi.useFakeTimers();
    let now = 0;
    const store = createMemoryIdempotencyStore({ clock: () => now, pruneIntervalMs: 1_000 });
    await store.claim(scope, "fp", 10);
    await store.claim({ caller: "router", key: "long" }, "fp", 60_000);
    expect(store.size()).toBe(2);
    now = 10;
    vi.advanceTimersByTime(1_000);
    expect(store.size()).toBe(1);
    await store.close();
  });

  it("uses the injected token source", async () => {
    const store = createMemoryIdempotencyStore({ newToken: () => "token-1" });
    expect(await store.claim(scope, "fp", 100)).toEqual({ kind: "claimed", token: "token-1" });
    await store.close();
  });

  it("rejects durations Redis would refuse, as a caller bug rather than an outage", async () => {
    const store = createMemoryIdempotencyStore();
    for (const leaseMs of [0, -1, 1.5, Number.NaN]) {
      await expect(store.claim(scope, "fp", leaseMs)).rejects.toBeInstanceOf(RangeError);
    }
    expect(() => createMemoryIdempotencyStore({ retentionMs: 0 })).toThrow(RangeError);
    await store.close();
  });

  it("fails closed once closed", async () => {
    const store = createMemoryIdempotencyStore();
    await store.close();
    const error = await store.claim(scope, "fp", 100).catch((e: unknown) => e);
    expect(isIdempotencyUnavailableError(error)).toBe(true);
  });
});
