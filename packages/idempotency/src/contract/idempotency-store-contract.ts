import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  contractFixture,
  expectSameBytes,
  LONG_MS,
  type OpenIdempotencyStore,
  responseOf,
  tokenOf,
} from "./contract-fixture.ts";
import { runExpiryContract } from "./expiry-contract.ts";
import { runScopeContract } from "./scope-contract.ts";

/**
 * The behaviour every IdempotencyStore must share (docs/architecture.md §5), run against each implementation
 * so the embedded memory store and Redis cannot drift apart. Call it inside a test file; `open` is
 * called once per test and the store is closed after it.
 */
export function runIdempotencyStoreContract(name: string, open: OpenIdempotencyStore): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const fixture = contractFixture(open);
    const { store, scope } = fixture;

    it("claims a new key", async () => {
      const result = await (await store()).claim(scope(), "fp-1", LONG_MS);
      tokenOf(result);
    });

    it("answers in_progress for the same request while it runs", async () => {
      const s = await store();
      const key = scope();
      tokenOf(await s.claim(key, "fp-1", LONG_MS));
      expect(await s.claim(key, "fp-1", LONG_MS)).toEqual({ kind: "in_progress" });
    });

    it("answers mismatch for a different request, running or done", async () => {
      const s = await store();
      const key = scope();
      const token = tokenOf(await s.claim(key, "fp-1", LONG_MS));
      expect(await s.claim(key, "fp-2", LONG_MS)).toEqual({ kind: "mismatch" });
      expect(await s.complete(key, token, new Uint8Array([1]))).toBe(true);
      expect(await s.claim(key, "fp-2", LONG_MS)).toEqual({ kind: "mismatch" });
      expect(responseOf(await s.claim(key, "fp-1", LONG_MS))).toEqual(new Uint8Array([1]));
    });

    const payloads: Record<string, Uint8Array> = {
      empty: new Uint8Array(0),
      "0x00 and 0xff": new Uint8Array([0x00, 0xff, 0x00, 0x0d, 0x0a, 0xff, 0xfe, 0x80]),
      "100 KiB": Uint8Array.from([0x00, 0xff, ...randomBytes(100 * 1024 - 2)]),
    };
    for (const [label, payload] of Object.entries(payloads)) {
      it(`replays the byte-identical response (${label})`, async () => {
        const s = await store();
        const key = scope();
        const sent = new Uint8Array(payload);
        expect(await s.complete(key, tokenOf(await s.claim(key, "fp", LONG_MS)), sent)).toBe(true);
        sent.fill(7); // the store must have kept its own copy
        expectSameBytes(responseOf(await s.claim(key, "fp", LONG_MS)), payload);
        const replay = await s.claim(key, "fp", LONG_MS);
        if (replay.kind === "completed") replay.response.fill(7); // nor hand out its own copy
        expectSameBytes(responseOf(await s.claim(key, "fp", LONG_MS)), payload);
      });
    }

    it("ignores complete with a wrong or stale token", async () => {
      const s = await store();
      const key = scope();
      const token = tokenOf(await s.claim(key, "fp", LONG_MS));
      const otherToken = tokenOf(await s.claim(scope(), "fp", LONG_MS));
      expect(await s.complete(key, "not-a-token", new Uint8Array([9]))).toBe(false);
      expect(await s.complete(key, otherToken, new Uint8Array([9]))).toBe(false);
      expect(await s.complete(key, "", new Uint8Array([9]))).toBe(false);
      expect(await s.claim(key, "fp", LONG_MS)).toEqual({ kind: "in_progress" });
      expect(await s.complete(key, token, new Uint8Array([1, 2]))).toBe(true);
      // Completing twice must not overwrite the response a client may already have received.
      expect(await s.complete(key, token, new Uint8Array([9]))).toBe(false);
      expect(responseOf(await s.claim(key, "fp", LONG_MS))).toEqual(new Uint8Array([1, 2]));
    });

    it("release frees the key; release with a wrong token or after completion does nothing", async () => {
      const s = await store();
      const key = scope();
      const token = tokenOf(await s.claim(key, "fp", LONG_MS));
      await s.release(key, "not-a-token");
      expect(await s.claim(key, "fp", LONG_MS)).toEqual({ kind: "in_progress" });
      await s.release(key, token);
      // Released means forgotten: even a different request may now use the key.
      const next = tokenOf(await s.claim(key, "fp-other", LONG_MS));
      expect(next).not.toBe(token);
      expect(await s.complete(key, token, new Uint8Array([9]))).toBe(false);
      expect(await s.complete(key, next, new Uint8Array([3]))).toBe(true);
      await s.release(key, next);
      expect(responseOf(await s.claim(key, "fp-other", LONG_MS))).toEqual(new Uint8Array([3]));
    });

    it("lets exactly one of 100 concurrent claims win", async () => {
      const s = await store();
      const key = scope();
      const results = await Promise.all(Array.from({ length: 100 }, () => s.claim(key, "fp", LONG_MS)));
      expect(results.filter((r) => r.kind === "claimed")).toHaveLength(1);
      expect(results.filter((r) => r.kind === "in_progress")).toHaveLength(99);
    });

    runExpiryContract(fixture);
    runScopeContract(fixture);
  });
}
