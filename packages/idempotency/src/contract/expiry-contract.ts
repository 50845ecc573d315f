import { expect, it } from "vitest";
import { type ContractFixture, LONG_MS, responseOf, tokenOf } from "./contract-fixture.ts";
import { pollUntil } from "./poll-until.ts";

/** Leases and retention: the two clocks of an entry. Durations are short and the tests poll. */
export function runExpiryContract({ store, scope }: ContractFixture): void {
  it("frees the key when the lease expires, and the old token goes stale", async () => {
    const s = await store();
    const key = scope();
    const stale = tokenOf(await s.claim(key, "fp", 50));
    // The claimant crashed: a retry must not answer in_progress forever.
    const retried = await pollUntil(
      () => s.claim(key, "fp", LONG_MS),
      (r) => r.kind === "claimed",
    );
    const fresh = tokenOf(retried);
    expect(fresh).not.toBe(stale);
    // The slow first claimant wakes up: it may neither overwrite nor free its successor's claim.
    expect(await s.complete(key, stale, new Uint8Array([1]))).toBe(false);
    await s.release(key, stale);
    expect(await s.claim(key, "fp", LONG_MS)).toEqual({ kind: "in_progress" });
    expect(await s.complete(key, fresh, new Uint8Array([2]))).toBe(true);
    expect(responseOf(await s.claim(key, "fp", LONG_MS))).toEqual(new Uint8Array([2]));
  });

  it("keeps a completed response past its lease", async () => {
    const s = await store();
    const key = scope();
    const leaseMs = 100;
    const token = tokenOf(await s.claim(key, "fp", leaseMs));
    expect(await s.complete(key, token, new Uint8Array([5]))).toBe(true);
    // Probe throughout a window well past the lease: completion must have replaced it.
    const until = Date.now() + 3 * leaseMs;
    while (Date.now() < until) {
      expect(responseOf(await s.claim(key, "fp", LONG_MS))).toEqual(new Uint8Array([5]));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it("forgets a completed key when retention expires", async () => {
    const s = await store(500);
    const key = scope();
    const token = tokenOf(await s.claim(key, "fp", LONG_MS));
    expect(await s.complete(key, token, new Uint8Array([5]))).toBe(true);
    expect(responseOf(await s.claim(key, "fp", LONG_MS))).toEqual(new Uint8Array([5]));
    // Retention, not the (long) lease, now bounds the entry; afterwards the key is new again.
    const later = await pollUntil(
      () => s.claim(key, "fp-other", LONG_MS),
      (r) => r.kind !== "mismatch",
    );
    tokenOf(later);
  });
}
