import { expect, it } from "vitest";
import { type ContractFixture, LONG_MS, responseOf, tokenOf } from "./contract-fixture.ts";

/** Keys arrive from clients: any length, any characters. Callers must never see each other's keys. */
export function runScopeContract({ store, scope }: ContractFixture): void {
  it("isolates the same key between callers", async () => {
    const s = await store();
    const first = scope("shared-key");
    const second = scope("shared-key");
    const token = tokenOf(await s.claim(first, "fp-1", LONG_MS));
    // A different fingerprint is no mismatch: the other caller's request is unrelated.
    tokenOf(await s.claim(second, "fp-2", LONG_MS));
    expect(await s.complete(first, token, new Uint8Array([1]))).toBe(true);
    expect(await s.claim(second, "fp-2", LONG_MS)).toEqual({ kind: "in_progress" });
    expect(responseOf(await s.claim(first, "fp-1", LONG_MS))).toEqual(new Uint8Array([1]));
  });

  it("isolates callers whose names differ only by braces or their encoding", async () => {
    const s = await store();
    const base = scope().caller;
    // Names a naive hash-tag or separator scheme would merge.
    const callers = ["{a}", "a", "%7Ba%7D", "{a", "a}", "}a{", "a:b", "a%", ""].map((c) => `${base}${c}`);
    for (const caller of callers) tokenOf(await s.claim({ caller, key: "k" }, "fp", LONG_MS));
    for (const caller of callers) {
      expect(await s.claim({ caller, key: "k" }, "fp", LONG_MS)).toEqual({ kind: "in_progress" });
    }
  });

  it("accepts keys of any length and characters, each distinct", async () => {
    const s = await store();
    const keys = [
      "k",
      "K",
      "x".repeat(255),
      "x".repeat(256),
      "y".repeat(10_000),
      "支付-🔑-ключ-مفتاح",
      "e\u0301",
      "é",
      "{braces}",
      "}{",
      "{}",
      "a:b*c?[d]",
      " padded ",
      "nul\u0000byte",
      "line\nbreak",
    ];
    const caller = scope().caller;
    const tokens = new Map<string, string>();
    for (const key of keys) tokens.set(key, tokenOf(await s.claim({ caller, key }, "fp", LONG_MS)));
    for (const [index, key] of keys.entries()) {
      const bytes = new Uint8Array([index]);
      expect(await s.complete({ caller, key }, tokens.get(key) ?? "", bytes)).toBe(true);
    }
    for (const [index, key] of keys.entries()) {
      expect(responseOf(await s.claim({ caller, key }, "fp", LONG_MS))).toEqual(new Uint8Array([index]));
    }
  });
}
