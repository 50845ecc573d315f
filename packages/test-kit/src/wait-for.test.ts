import { describe, expect, it } from "vitest";
import { createTestClock } from "./test-clock.ts";
import { waitFor } from "./wait-for.ts";

describe("waitFor", () => {
  it("returns the first value that is not undefined, retrying checks that throw", async () => {
    let calls = 0;
    const value = await waitFor(() => {
      calls++;
      if (calls === 1) throw new Error("not listening yet");
      return calls < 4 ? undefined : `after ${calls}`;
    });
    expect(value).toBe("after 4");
  });

  it("times out with a message naming what it waited for and the last error", async () => {
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          throw new Error("connection refused");
        },
        100,
        "the router to listen",
      ),
    ).rejects.toThrow(
      "timed out after 100 ms waiting for the router to listen; last error: connection refused",
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await expect(waitFor(async () => undefined, 50)).rejects.toThrow(
      /^timed out after 50 ms waiting for the condition$/,
    );
  });
});

describe("createTestClock", () => {
  it("stands still until advanced or set", () => {
    const clock = createTestClock();
    expect(clock.now().toISOString()).toBe("2024-03-05T03:00:00.000Z");
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe("2024-03-05T03:00:01.500Z");
    clock.set(new Date("2025-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });
});
