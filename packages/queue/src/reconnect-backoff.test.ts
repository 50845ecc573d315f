import { describe, expect, it } from "vitest";
import { createReconnectBackoff } from "./reconnect-backoff.ts";

describe("createReconnectBackoff", () => {
  it("doubles from 100 ms to a 5 s cap by default, each delay jittered within its upper half", () => {
    const highest = createReconnectBackoff({}, (_min, max) => max - 1);
    const lowest = createReconnectBackoff({}, (min) => min);
    const take = (backoff: { next(): number }) => Array.from({ length: 8 }, () => backoff.next());
    expect(take(highest)).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
    expect(take(lowest)).toEqual([50, 100, 200, 400, 800, 1_600, 2_500, 2_500]);
  });

  it("starts over after a successful attempt", () => {
    const backoff = createReconnectBackoff({ initialDelayMs: 10, maxDelayMs: 1_000 }, (_min, max) => max - 1);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([10, 20, 40]);
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });

  it("stays within bounds with real randomness", () => {
    const backoff = createReconnectBackoff({ initialDelayMs: 7, maxDelayMs: 7 });
    for (let i = 0; i < 100; i++) expect(backoff.next()).toSatisfy((ms: number) => ms >= 4 && ms <= 7);
  });

  it("rejects delays that cannot make sense, as a caller bug", () => {
    expect(() => createReconnectBackoff({ initialDelayMs: 0 })).toThrow(RangeError);
    expect(() => createReconnectBackoff({ initialDelayMs: 200, maxDelayMs: 100 })).toThrow(RangeError);
    expect(() => createReconnectBackoff({ maxDelayMs: 1.5 })).toThrow(RangeError);
  });
});
