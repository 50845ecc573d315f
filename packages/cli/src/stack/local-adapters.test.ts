import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../repo-root.ts";
import { ADAPTER_NAMES, LOCAL_ADAPTERS, perAdapter } from "./local-adapters.ts";
import { SERVICE_NAMES } from "./local-stack.ts";

describe("the local stack's adapters", () => {
  it.each(ADAPTER_NAMES)("%s: the adapter and simulator entry points exist", (name) => {
    const { adapter, sandbox } = LOCAL_ADAPTERS[name];
    expect(existsSync(join(repoRoot(), adapter.file))).toBe(true);
    expect(existsSync(join(repoRoot(), sandbox.file))).toBe(true);
  });

  it("routes each payment method to exactly one adapter", () => {
    const methods = ADAPTER_NAMES.map((name) => LOCAL_ADAPTERS[name].method);
    expect(methods.sort()).toEqual(["bank_transfer", "qris", "remittance", "virtual_account"]);
  });

  it("names ten services, each once", () => {
    expect(SERVICE_NAMES).toHaveLength(10);
    expect(new Set(SERVICE_NAMES).size).toBe(10);
  });

  it("builds a record with an entry per adapter", () => {
    expect(perAdapter((name) => name.length)).toEqual({ qris: 4, va: 2, transfer: 8, remittance: 10 });
  });
});
