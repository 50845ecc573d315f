import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdapterPolicy } from "./adapter-policy.ts";
import { isBulkheadRejectedError, neverReachedAdapter, PolicyTimeoutError } from "./policy-errors.ts";
import type { PolicyEvent } from "./policy-events.ts";
import { countsAsFailure, deferred, observe, retryableRead } from "./testing/policy-test-helpers.ts";

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

describe("createAdapterPolicy bulkhead", () => {
  it("queues up to the limit and refuses the overflow without calling it", async () => {
    const { policy, events } = setup();
    const held = deferred<string>();
    const ran: string[] = [];
    const call = (name: string, answer: Promise<string>) => async () => {
      ran.push(name);
      return answer;
    };
    const first = policy.execute("read", call("first", held.promise), { retryable: retryableRead });
    const second = policy.execute("read", call("second", Promise.resolve("2")), { retryable: retryableRead });
    const third = await policy
      .execute("read", call("third", Promise.resolve("3")), { retryable: retryableRead })
      .catch((e: unknown) => e);
    expect(isBulkheadRejectedError(third)).toBe(true);
    expect(neverReachedAdapter(third)).toBe(true);
    expect(events).toContainEqual({ type: "bulkhead-rejected", adapter: "remittance", kind: "read" });
    expect(policy.snapshot()).toMatchObject({ inFlight: 1, queued: 1, executionSlots: 0, queueSlots: 0 });
    held.resolve("1");
    await expect(Promise.all([first, second])).resolves.toEqual(["1", "2"]);
    expect(ran).toEqual(["first", "second"]);
  });

  it("lets a queued call whose deadline passes go at once, never calling it", async () => {
    const { policy } = setup(10_000);
    const held = deferred<string>();
    void policy.execute("read", () => held.promise, { retryable: retryableRead });
    let called = false;
    const queued = observe(
      policy.execute(
        "create",
        async () => {
          called = true;
          return "late";
        },
        { retryable: () => false, deadline: Date.now() + 200 },
      ),
    );
    await vi.advanceTimersByTimeAsync(200);
    expect(queued.settled).toBe(true);
    expect(queued.error).toBeInstanceOf(PolicyTimeoutError);
    expect(neverReachedAdapter(queued.error)).toBe(true);
    held.resolve("done");
    await vi.runAllTimersAsync();
    expect(called).toBe(false);
  });
});
