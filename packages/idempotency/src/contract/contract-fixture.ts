import { randomUUID } from "node:crypto";
import { afterEach, expect } from "vitest";
import type { ClaimResult, IdempotencyScope, IdempotencyStore } from "../idempotency-store.ts";

/** Opens a fresh store of the implementation under test with the given retention. */
export type OpenIdempotencyStore = (options: { retentionMs: number }) => Promise<IdempotencyStore>;

/** Long enough that nothing expires during a test unless the test means it to. */
export const LONG_MS = 10 * 60 * 1000;

/** What each part of the contract gets from {@link contractFixture}. */
export interface ContractFixture {
  /** A store closed after the test; retention defaults to {@link LONG_MS}. */
  store(retentionMs?: number): Promise<IdempotencyStore>;
  /** A scope with a caller no other test or run uses; a random key unless given. */
  scope(key?: string): IdempotencyScope;
}

/**
 * Per-test plumbing shared by the contract's files: stores are closed after each test, and every
 * scope gets a fresh caller so runs sharing one Redis never see each other's keys.
 */
export function contractFixture(open: OpenIdempotencyStore): ContractFixture {
  const opened: IdempotencyStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  return {
    async store(retentionMs = LONG_MS) {
      const store = await open({ retentionMs });
      opened.push(store);
      return store;
    },
    scope: (key = randomUUID()) => ({ caller: `contract-${randomUUID()}`, key }),
  };
}

/** The token of a successful claim; fails the test on anything else. */
export function tokenOf(result: ClaimResult): string {
  expect(result.kind).toBe("claimed");
  if (result.kind !== "claimed") throw new Error(`expected claimed, got ${result.kind}`);
  expect(result.token).not.toBe("");
  return result.token;
}

/** The replayed bytes of a finished claim, as a plain Uint8Array for exact comparison. */
export function responseOf(result: ClaimResult): Uint8Array {
  expect(result.kind).toBe("completed");
  if (result.kind !== "completed") throw new Error(`expected completed, got ${result.kind}`);
  expect(result.response).toBeInstanceOf(Uint8Array);
  return new Uint8Array(result.response);
}

/**
 * Asserts two byte arrays are identical. Cheaper than toEqual on 100 KiB (which compares element
 * by element with full diff bookkeeping) and names the first differing offset.
 */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  const differsAt = actual.findIndex((byte, index) => byte !== expected[index]);
  expect(differsAt, "offset of the first differing byte").toBe(-1);
}
