/** A settable clock shared by the code under test and the test driving it. */
export interface TestClock {
  now(): Date;
  /** Moves the clock forward (or back, with a negative `ms`). */
  advance(ms: number): void;
  set(date: Date): void;
}

/**
 * A clock that stands still until the test moves it, so expiry and timestamps are exact instead of
 * racing the wall clock. The default start is a fixed weekday morning in Jakarta.
 */
export function createTestClock(start = new Date("2024-03-05T03:00:00Z")): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(date) {
      current = date.getTime();
    },
  };
}
