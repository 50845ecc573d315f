import { describe, expect, it } from "vitest";
import { createAdapterPolicy } from "./adapter-policy.ts";
import type { AdapterPolicyOptions } from "./adapter-policy-types.ts";
import { neverReachedAdapter } from "./policy-errors.ts";
import type { PolicyEvent } from "./policy-events.ts";
import { countsAsFailure, grpcError, retryableRead } from "./testing/policy-test-helpers.ts";

// Real timers with 1–5 ms backoffs: these tests count calls, never measure time.
function setup(overrides: Partial<AdapterPolicyOptions> = {}) {
  const events: PolicyEvent[] = [];
  const policy = createAdapterPolicy({
    name: "qris",
    countsAsFailure,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { policy, events };
}

/** A call that fails with each error in turn, then answers "ok"; counts how often it ran. */
function scripted(...errors: Error[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    call: async (_signal: AbortSignal) => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return "ok";
    },
  };
}

describe("createAdapterPolicy retries", () => {
  it("retries a retryable read and stops at maxAttempts, reporting the last error", async () => {
    const { policy, events } = setup();
    const last = grpcError(14);
    const script = scripted(grpcError(14), grpcError(14), last, grpcError(14));
    await expect(policy.execute("read", script.call, { retryable: retryableRead })).rejects.toBe(last);
    expect(script.calls).toBe(3);
    const retries = events.filter((event) => event.type === "retry");
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    expect(retries[0]).toMatchObject({ adapter: "qris", kind: "read", error: expect.any(Error) });
  });

  it("returns the answer of a retry that succeeds", async () => {
    const { policy } = setup();
    const script = scripted(grpcError(14));
    await expect(policy.execute("read", script.call, { retryable: retryableRead })).resolves.toBe("ok");
    expect(script.calls).toBe(2);
  });

  it("retries a create only when the caller's rule accepts the failure", async () => {
    const { policy } = setup();
    // The router's rule for creates: only what provably never reached the provider.
    const neverReachedProvider = (error: unknown) =>
      error instanceof Error &&
      "metadata" in error &&
      (error.metadata as Record<string, string>).reached_provider === "false";
    const unsent = scripted(grpcError(14, { reached_provider: "false" }));
    await expect(policy.execute("create", unsent.call, { retryable: neverReachedProvider })).resolves.toBe(
      "ok",
    );
    expect(unsent.calls).toBe(2);
    const maybeSent = scripted(grpcError(14));
    await expect(
      policy.execute("create", maybeSent.call, { retryable: neverReachedProvider }),
    ).rejects.toThrow();
    expect(maybeSent.calls).toBe(1);
  });

  it("never retries a 'once' call, whatever the rule says", async () => {
    const { policy, events } = setup();
    const script = scripted(grpcError(14));
    await expect(policy.execute("once", script.call, { retryable: () => true })).rejects.toThrow();
    expect(script.calls).toBe(1);
    expect(events.filter((event) => event.type === "retry")).toEqual([]);
  });

  it("does not retry a failure the rule rejects", async () => {
    const { policy } = setup();
    const refusal = grpcError(3);
    const script = scripted(refusal);
    await expect(policy.execute("read", script.call, { retryable: retryableRead })).rejects.toBe(refusal);
    expect(script.calls).toBe(1);
  });

  it("treats maxAttempts 1 as no retries", async () => {
    const { policy } = setup({ retry: { maxAttempts: 1 } });
    const script = scripted(grpcError(14));
    await expect(policy.execute("read", script.call, { retryable: retryableRead })).rejects.toThrow();
    expect(script.calls).toBe(1);
  });

  it("stops retrying when the circuit opens mid-call, reporting the attempt that reached the adapter", async () => {
    // minimumRps 4 over 1 s: the fourth failure in the window opens the circuit.
    const { policy } = setup({ breaker: { durationMs: 1_000, minimumRps: 4 } });
    for (let i = 0; i < 3; i++) {
      await expect(
        policy.execute("once", scripted(grpcError(14)).call, { retryable: retryableRead }),
      ).rejects.toThrow();
    }
    const reached = grpcError(14);
    const script = scripted(reached, grpcError(14));
    const failure = await policy
      .execute("read", script.call, { retryable: retryableRead })
      .catch((e: unknown) => e);
    expect(script.calls).toBe(1);
    expect(policy.state()).toBe("open");
    // Not "circuit open": that would tell the router the call never reached the adapter.
    expect(failure).toBe(reached);
    expect(neverReachedAdapter(failure)).toBe(false);
  });

  it("keeps the call's outcome when an event listener throws", async () => {
    const { policy } = setup({
      onEvent: () => {
        throw new Error("metrics backend down");
      },
    });
    const script = scripted(grpcError(14));
    await expect(policy.execute("read", script.call, { retryable: retryableRead })).resolves.toBe("ok");
  });

  it("refuses calls once disposed", async () => {
    const { policy } = setup();
    policy.dispose();
    const script = scripted();
    await expect(policy.execute("read", script.call, { retryable: retryableRead })).rejects.toThrow(
      "adapter policy qris is disposed",
    );
    expect(script.calls).toBe(0);
  });
});
