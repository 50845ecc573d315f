/** Longest delay setTimeout honours; beyond it Node fires the timer at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Throws a RangeError naming `field` unless `ok`: the one shape of config error, so a bad setting reads
 * the same wherever it came from (a config file, an option, a test).
 */
export function check(field: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new RangeError(`${field} must be ${expected}, got ${value}`);
}

/** Checks a whole number of at least `min`. */
export function checkWhole(field: string, value: number, min: number): void {
  check(field, value, Number.isSafeInteger(value) && value >= min, `a whole number >= ${min}`);
}

/** Checks a delay or duration setTimeout can honour: whole milliseconds of at least `min`. */
export function checkMs(field: string, value: number, min: number): void {
  const ok = Number.isSafeInteger(value) && value >= min && value <= MAX_TIMER_MS;
  check(field, value, ok, `whole milliseconds >= ${min}`);
}
