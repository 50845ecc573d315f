import { randomInt } from "node:crypto";

/** How far apart connection attempts are once a RabbitMQ connection was lost. */
export interface ReconnectBackoffOptions {
  /** Delay after the first failed attempt; it doubles after each further failure. @default 100 */
  initialDelayMs?: number;
  /** The delay stops growing here. @default 5_000 */
  maxDelayMs?: number;
}

/** The delays between failed connection attempts of one connection owner. */
export interface ReconnectBackoff {
  /** One more attempt failed: how long to wait before the next one. */
  next(): number;
  /** An attempt succeeded: the next failure starts over at the initial delay. */
  reset(): void;
}

/** Draws an integer in [min, max); node:crypto's randomInt unless a test fixes it. */
export type RandomInt = (min: number, max: number) => number;

/**
 * Doubling delays with "equal jitter" (each drawn from [d/2, d]): after a broker restart every
 * process reconnects at once, and the jitter keeps their attempts from hitting the broker in
 * synchronized waves, while the lower half keeps a loop from retrying faster than d/2.
 */
export function createReconnectBackoff(
  options: ReconnectBackoffOptions = {},
  random: RandomInt = (min, max) => randomInt(min, max),
): ReconnectBackoff {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5_000;
  if (!Number.isInteger(initial) || initial < 1 || !Number.isInteger(max) || max < initial) {
    throw new RangeError("reconnect delays must be integers with 1 <= initialDelayMs <= maxDelayMs");
  }
  let ceiling = initial;
  return {
    next() {
      const delay = ceiling;
      ceiling = Math.min(ceiling * 2, max);
      const half = Math.floor(delay / 2);
      return delay - half + random(0, half + 1);
    },
    reset() {
      ceiling = initial;
    },
  };
}
