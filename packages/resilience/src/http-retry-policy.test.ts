import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHttpRetryPolicy } from "./http-retry-policy.ts";
import type { HttpRetryEvent, HttpRetryPolicyOptions } from "./http-retry-types.ts";
import { retryAfterMs } from "./retry-after.ts";
import { observe } from "./testing/policy-test-helpers.ts";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

function respond(status: number, headers: Record<string, string> = {}) {
  return { status, headers: new Headers(headers) };
}

/** An upstream that answers each scripted response (or throws each error) in turn. */
function upstream(...script: Array<ReturnType<typeof respond> | Error>) {
  let calls = 0;
  return {
    calls: () => calls,
    call: async (_signal: AbortSignal) => {
      const next = script[Math.min(calls++, script.length - 1)];
      if (next === undefined || next instanceof Error) throw next;
      return next;
    },
  };
}

function setup(options: Partial<HttpRetryPolicyOptions> = {}) {
  const events: HttpRetryEvent[] = [];
  const policy = createHttpRetryPolicy({
    name: "xendit",
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { policy, events };
}

/** A transport error that knows whether the request left, as an adapter's fetch wrapper would flag it. */
const transportError = (sent: boolean) => Object.assign(new Error("socket hang up"), { sent });
const unsentOnly = (error: unknown) => error instanceof Error && "sent" in error && error.sent === false;

describe("createHttpRetryPolicy", () => {
  it("retries 429 and 5xx and returns the first good answer", async () => {
    const { policy, events } = setup();
    const api = upstream(respond(503), respond(429), respond(200));
    const outcome = observe(policy.execute(api.call));
    await vi.runAllTimersAsync();
    expect(outcome.value?.status).toBe(200);
    expect(api.calls()).toBe(3);
    expect(events.map((event) => [event.attempt, event.status])).toEqual([
      [1, 503],
      [2, 429],
    ]);
  });

  it("gives back the last response when attempts run out, and does not retry a 4xx", async () => {
    const { policy } = setup();
    const failing = upstream(respond(502));
    const outcome = observe(policy.execute(failing.call));
    await vi.runAllTimersAsync();
    expect(outcome.value?.status).toBe(502);
    expect(failing.calls()).toBe(3);
    const refused = upstream(respond(400), respond(200));
    await expect(policy.execute(refused.call)).resolves.toMatchObject({ status: 400 });
    expect(refused.calls()).toBe(1);
  });

  it("waits what Retry-After asks, in seconds or as an HTTP date, capped by maxDelayMs", async () => {
    const { policy, events } = setup({ maxDelayMs: 5_000 });
    const api = upstream(
      respond(429, { "retry-after": "1" }),
      respond(503, { "retry-after": "Wed, 01 Jan 2025 00:00:04 GMT" }),
      respond(200),
    );
    observe(policy.execute(api.call, {}));
    await vi.runAllTimersAsync();
    // The date is 4 s after the clock at the start; the first wait (1 s) has passed by then.
    expect(events.map((event) => [event.delayMs, event.retryAfterMs])).toEqual([
      [1_000, 1_000],
      [3_000, 3_000],
    ]);
    const capped = setup({ maxDelayMs: 2_000 });
    observe(capped.policy.execute(upstream(respond(429, { "retry-after": "60" }), respond(200)).call));
    await vi.runAllTimersAsync();
    expect(capped.events[0]).toMatchObject({ delayMs: 2_000, retryAfterMs: 60_000 });
  });

  it("does not retry a response the adapter says proves the provider acted", async () => {
    const { policy } = setup({ provedActed: (response) => response.headers.get("x-transfer-id") !== null });
    const api = upstream(respond(500, { "x-transfer-id": "t-1" }), respond(200));
    await expect(policy.execute(api.call)).resolves.toMatchObject({ status: 500 });
    expect(api.calls()).toBe(1);
  });

  it("does not retry a transport error after sending, but retries one that never left", async () => {
    const { policy } = setup({ isSafeToRetryError: unsentOnly });
    const sent = transportError(true);
    const afterSend = upstream(sent, respond(200));
    await expect(policy.execute(afterSend.call)).rejects.toBe(sent);
    expect(afterSend.calls()).toBe(1);
    const beforeSend = upstream(transportError(false), respond(200));
    const outcome = observe(policy.execute(beforeSend.call));
    await vi.runAllTimersAsync();
    expect(outcome.value?.status).toBe(200);
    expect(beforeSend.calls()).toBe(2);
  });

  it("never retries a transport error unless told it is safe", async () => {
    const { policy } = setup();
    const api = upstream(transportError(false), respond(200));
    await expect(policy.execute(api.call)).rejects.toThrow("socket hang up");
    expect(api.calls()).toBe(1);
  });

  it("returns the last answer at once when the caller gives up during a backoff", async () => {
    const { policy } = setup({ initialDelayMs: 1_000, maxDelayMs: 1_000 });
    const api = upstream(respond(503, { "retry-after": "1" }), respond(200));
    const controller = new AbortController();
    const outcome = observe(policy.execute(api.call, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.value?.status).toBe(503);
    await vi.runAllTimersAsync();
    expect(api.calls()).toBe(1);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it("reads seconds and HTTP dates, and refuses what is neither", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(retryAfterMs("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
    expect(retryAfterMs("1.5", now)).toBeUndefined();
    expect(retryAfterMs("2025-01-01T00:00:10Z", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
