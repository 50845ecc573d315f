import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdapterPolicy } from "./adapter-policy.ts";
import type { AdapterPolicyOptions } from "./adapter-policy-types.ts";
import { isCircuitOpenError, neverReachedAdapter } from "./policy-errors.ts";
import type { PolicyEvent } from "./policy-events.ts";
import { countsAsFailure, grpcError, retryableRead } from "./testing/policy-test-helpers.ts";

// Fake timers drive Date.now() too, which is what cockatiel's breaker reads.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** minimumRps 4 over a 1 s window: four failures within it open the circuit. */
function setup(overrides: Partial<AdapterPolicyOptions> = {}) {
  const events: PolicyEvent[] = [];
  const policy = createAdapterPolicy({
    name: "va",
    countsAsFailure,
    breaker: { durationMs: 1_000, minimumRps: 4, halfOpenAfterMs: 500 },
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  let calls = 0;
  const failing = async () => {
    calls++;
    throw grpcError(14);
  };
  const succeeding = async () => {
    calls++;
    return "ok";
  };
  const once = (call: () => Promise<string>) => policy.execute("once", call, { retryable: retryableRead });
  const open = async () => {
    for (let i = 0; i < 4; i++) await expect(once(failing)).rejects.toThrow("grpc status 14");
  };
  return { policy, events, once, open, failing, succeeding, calls: () => calls };
}

describe("createAdapterPolicy breaker", () => {
  it("opens after enough failures and then refuses at once without calling", async () => {
    const { policy, events, once, open, succeeding, calls } = setup();
    await open();
    expect(policy.state()).toBe("open");
    expect(events).toContainEqual({
      type: "break",
      adapter: "va",
      isolated: false,
      error: expect.any(Error),
    });
    const before = calls();
    const refusal = await once(succeeding).catch((error: unknown) => error);
    expect(calls()).toBe(before);
    expect(isCircuitOpenError(refusal)).toBe(true);
    expect(neverReachedAdapter(refusal)).toBe(true);
  });

  it("shares its state across calls of every kind on the same instance, and only that one", async () => {
    const { policy, open, succeeding, calls } = setup();
    const other = createAdapterPolicy({ name: "transfer", countsAsFailure });
    await open();
    const refusal = await policy
      .execute("read", succeeding, { retryable: () => true })
      .catch((e: unknown) => e);
    expect(isCircuitOpenError(refusal)).toBe(true);
    await expect(policy.execute("create", succeeding, { retryable: () => true })).rejects.toSatisfy(
      isCircuitOpenError,
    );
    expect(calls()).toBe(4);
    await expect(other.execute("read", succeeding, { retryable: () => true })).resolves.toBe("ok");
  });

  it("does not count refusals the caller says are not failures", async () => {
    const { policy, once } = setup();
    for (let i = 0; i < 10; i++) {
      await expect(once(async () => Promise.reject(grpcError(3)))).rejects.toThrow();
    }
    expect(policy.state()).toBe("closed");
  });

  it("goes half-open after halfOpenAfterMs and closes after a successful probe", async () => {
    const { policy, events, once, open, succeeding, calls } = setup();
    await open();
    vi.advanceTimersByTime(499);
    expect(policy.state()).toBe("open");
    vi.advanceTimersByTime(1);
    // Reported half-open before any call, so a router that skips open adapters still sends the probe.
    expect(policy.state()).toBe("half-open");
    await expect(once(succeeding)).resolves.toBe("ok");
    expect(calls()).toBe(5);
    expect(policy.state()).toBe("closed");
    expect(events.map((event) => event.type)).toEqual(["break", "half-open", "reset"]);
    await expect(once(succeeding)).resolves.toBe("ok");
  });

  it("reopens after a failed probe and refuses again without calling", async () => {
    const { policy, events, once, open, failing, succeeding, calls } = setup();
    await open();
    vi.advanceTimersByTime(500);
    await expect(once(failing)).rejects.toThrow("grpc status 14");
    expect(policy.state()).toBe("open");
    expect(events.filter((event) => event.type === "break")).toHaveLength(2);
    await expect(once(succeeding)).rejects.toSatisfy(isCircuitOpenError);
    expect(calls()).toBe(5);
  });

  it("isolates on demand and recovers when the handle is disposed", async () => {
    const { policy, events, once, succeeding, calls } = setup();
    const handle = policy.isolate();
    expect(policy.state()).toBe("isolated");
    await expect(once(succeeding)).rejects.toSatisfy(neverReachedAdapter);
    expect(calls()).toBe(0);
    handle.dispose();
    expect(policy.state()).toBe("closed");
    await expect(once(succeeding)).resolves.toBe("ok");
    expect(events.map((event) => event.type)).toEqual(["break", "reset"]);
  });

  it("reports the recent failure ratio in its snapshot", async () => {
    const { policy, once, failing, succeeding } = setup();
    expect(policy.snapshot().failureRatio).toBeNull();
    await expect(once(failing)).rejects.toThrow();
    await once(succeeding);
    expect(policy.snapshot()).toMatchObject({ name: "va", state: "closed", failureRatio: 0.5 });
    vi.advanceTimersByTime(1_000);
    expect(policy.snapshot().failureRatio).toBeNull();
  });
});
