import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdapterPolicy } from "./adapter-policy.ts";
import { isPolicyTimeoutError, neverReachedAdapter } from "./policy-errors.ts";
import type { PolicyEvent } from "./policy-events.ts";
import {
  countsAsFailure,
  grpcError,
  hangingCall,
  observe,
  retryableRead,
} from "./testing/policy-test-helpers.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(timeoutMs = 1_000) {
  const events: PolicyEvent[] = [];
  const policy = createAdapterPolicy({
    name: "remittance",
    countsAsFailure,
    timeoutMs,
    bulkhead: { limit: 1, queue: 1 },
    onEvent: (event) => events.push(event),
  });
  return { policy, events };
}

describe("createAdapterPolicy timeouts", () => {
  it("aborts the call's signal after timeoutMs and rejects with a policy timeout", async () => {
    const { policy, events } = setup(1_000);
    const signals: AbortSignal[] = [];
    const outcome = observe(policy.execute("once", hangingCall(signals), { retryable: retryableRead }));
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome.settled).toBe(false);
    expect(signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(isPolicyTimeoutError(outcome.error)).toBe(true);
    expect(outcome.error).toMatchObject({ reason: "timeout", callStarted: true, cause: grpcError(1) });
    expect(neverReachedAdapter(outcome.error)).toBe(false);
    expect(events).toContainEqual({
      type: "timeout",
      adapter: "remittance",
      kind: "once",
      attempt: 1,
      timeoutMs: 1_000,
      reason: "timeout",
    });
  });

  it("retries a read that timed out when the rule allows it", async () => {
    const { policy } = setup(1_000);
    const signals: AbortSignal[] = [];
    const outcome = observe(policy.execute("read", hangingCall(signals), { retryable: retryableRead }));
    await vi.runAllTimersAsync();
    expect(signals).toHaveLength(3);
    expect(isPolicyTimeoutError(outcome.error)).toBe(true);
  });

  it("lets a caller deadline shorter than timeoutMs win, and does not retry past it", async () => {
    const { policy } = setup(10_000);
    const signals: AbortSignal[] = [];
    const deadline = new Date(Date.now() + 300);
    const outcome = observe(
      policy.execute("read", hangingCall(signals), { retryable: retryableRead, deadline }),
    );
    await vi.advanceTimersByTimeAsync(299);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(outcome.error).toMatchObject({ reason: "deadline", callStarted: true });
    await vi.runAllTimersAsync();
    expect(signals).toHaveLength(1);
  });

  it("rejects without calling when the caller's signal is already aborted or its deadline passed", async () => {
    const { policy } = setup();
    let calls = 0;
    const call = async () => {
      calls++;
      return "ok";
    };
    const aborted = await policy
      .execute("read", call, { retryable: retryableRead, signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(aborted).toMatchObject({ reason: "cancelled", callStarted: false });
    expect(neverReachedAdapter(aborted)).toBe(true);
    const late = await policy
      .execute("read", call, { retryable: retryableRead, deadline: Date.now() - 1 })
      .catch((e: unknown) => e);
    expect(late).toMatchObject({ reason: "deadline", callStarted: false });
    expect(calls).toBe(0);
  });

  it("ends a backoff at once when the caller cancels, reporting the failure that happened", async () => {
    const events: PolicyEvent[] = [];
    const policy = createAdapterPolicy({
      name: "qris",
      countsAsFailure,
      retry: { initialDelayMs: 2_000, maxDelayMs: 2_000 },
      onEvent: (event) => events.push(event),
    });
    const failure = grpcError(14);
    let calls = 0;
    const controller = new AbortController();
    const outcome = observe(
      policy.execute(
        "read",
        async () => {
          calls++;
          throw failure;
        },
        { retryable: retryableRead, signal: controller.signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map((event) => event.type)).toEqual(["retry"]);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.error).toBe(failure);
    await vi.runAllTimersAsync();
    expect(calls).toBe(1);
  });

  it("keeps an answer that arrives after the timeout: it is still the truth about the payment", async () => {
    const { policy } = setup(1_000);
    const outcome = observe(
      policy.execute(
        "create",
        (signal) => new Promise((resolve) => signal.addEventListener("abort", () => resolve("created"))),
        { retryable: () => false },
      ),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outcome.value).toBe("created");
  });
});
