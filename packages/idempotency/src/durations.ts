/** Default time a finished response is kept (docs/architecture.md §5: 24 h, configurable). */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Rejects durations Redis would refuse (PEXPIRE takes whole positive milliseconds) before they reach
 * it, so a caller's bug surfaces as a RangeError instead of masquerading as an outage.
 */
export function assertDurationMs(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive whole number of milliseconds, got ${value}`);
  }
}
