import { describe, expect, it } from "vitest";
import { createAdapterPolicy } from "./adapter-policy.ts";
import { ADAPTER_POLICY_DEFAULTS, resolveAdapterPolicyConfig } from "./adapter-policy-config.ts";
import { parseAdapterPolicyConfig } from "./parse-adapter-policy-config.ts";
import { countsAsFailure } from "./testing/policy-test-helpers.ts";

const path = "adapters.qris.policy";

describe("resolveAdapterPolicyConfig", () => {
  it("fills every default and keeps what was given", () => {
    expect(resolveAdapterPolicyConfig()).toEqual({
      timeoutMs: 10_000,
      retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 },
      breaker: { threshold: 0.5, durationMs: 10_000, minimumRps: 2, halfOpenAfterMs: 5_000 },
      bulkhead: { limit: 64, queue: 256 },
    });
    const resolved = resolveAdapterPolicyConfig({ retry: { maxAttempts: 5 }, bulkhead: { queue: 0 } });
    expect(resolved.retry).toEqual({ ...ADAPTER_POLICY_DEFAULTS.retry, maxAttempts: 5 });
    expect(resolved.bulkhead).toEqual({ limit: 64, queue: 0 });
  });

  it("names the field of a value out of range", () => {
    expect(() => resolveAdapterPolicyConfig({ breaker: { threshold: 1 } }, path)).toThrow(
      "adapters.qris.policy.breaker.threshold must be a ratio strictly between 0 and 1, got 1",
    );
    expect(() => resolveAdapterPolicyConfig({ retry: { maxAttempts: 0 } }, path)).toThrow(
      /retry\.maxAttempts/,
    );
    expect(() => resolveAdapterPolicyConfig({ retry: { initialDelayMs: 500, maxDelayMs: 100 } })).toThrow(
      /policy\.retry\.maxDelayMs must be whole milliseconds >= 500/,
    );
    expect(() => resolveAdapterPolicyConfig({ timeoutMs: 1.5 })).toThrow(/policy\.timeoutMs/);
  });

  it("fails at construction, naming the adapter", () => {
    expect(() => createAdapterPolicy({ name: "va", countsAsFailure, bulkhead: { limit: 0 } })).toThrow(
      /^va\.bulkhead\.limit must be a whole number >= 1, got 0$/,
    );
  });
});

describe("parseAdapterPolicyConfig", () => {
  it("resolves a valid object, and undefined as all defaults", () => {
    const parsed = parseAdapterPolicyConfig({ timeoutMs: 5_000, breaker: { halfOpenAfterMs: 1_000 } }, path);
    expect(parsed.timeoutMs).toBe(5_000);
    expect(parsed.breaker).toEqual({ ...ADAPTER_POLICY_DEFAULTS.breaker, halfOpenAfterMs: 1_000 });
    expect(parseAdapterPolicyConfig(undefined, path)).toEqual(ADAPTER_POLICY_DEFAULTS);
  });

  it("names a misspelt setting rather than ignoring it", () => {
    expect(() => parseAdapterPolicyConfig({ retry: { maxAtempts: 5 } }, path)).toThrow(
      "adapters.qris.policy.retry.maxAtempts is not a retry setting (expected maxAttempts, initialDelayMs, maxDelayMs)",
    );
    expect(() => parseAdapterPolicyConfig({ timeout: 5 }, path)).toThrow(
      /^adapters\.qris\.policy\.timeout is not a policy setting/,
    );
  });

  it("names a value of the wrong type", () => {
    expect(() => parseAdapterPolicyConfig({ timeoutMs: "5s" }, path)).toThrow(
      'adapters.qris.policy.timeoutMs must be a number, got the string "5s"',
    );
    expect(() => parseAdapterPolicyConfig({ bulkhead: [] }, path)).toThrow(
      "adapters.qris.policy.bulkhead must be an object, got an array",
    );
    expect(() => parseAdapterPolicyConfig(null, path)).toThrow(
      "adapters.qris.policy must be an object, got null",
    );
    expect(() => parseAdapterPolicyConfig({ breaker: { minimumRps: null } }, path)).toThrow(
      /breaker\.minimumRps must be a number/,
    );
  });

  it("names a value out of range", () => {
    expect(() => parseAdapterPolicyConfig({ bulkhead: { queue: -1 } }, path)).toThrow(
      "adapters.qris.policy.bulkhead.queue must be a whole number >= 0, got -1",
    );
  });
});
