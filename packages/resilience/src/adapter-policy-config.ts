import { check, checkMs, checkWhole } from "./config-checks.ts";

/** Retry settings of an adapter policy. */
export interface RetryConfig {
  /** Calls in total, the first included; 1 turns retries off. @default 3 */
  maxAttempts: number;
  /** Scale of the first backoff (decorrelated jitter, so the actual delay varies). @default 100 */
  initialDelayMs: number;
  /** Upper bound on any one backoff delay. @default 2000 */
  maxDelayMs: number;
}

/** Circuit breaker settings (cockatiel's SamplingBreaker). */
export interface BreakerConfig {
  /** Failure ratio over the sampling window above which the circuit opens; strictly between 0 and 1. @default 0.5 */
  threshold: number;
  /** Length of the sampling window. @default 10000 */
  durationMs: number;
  /**
   * Calls per second the window must average before the circuit may open, so a handful of failures
   * on a quiet adapter does not cut it off (at the defaults: 20 calls in the last 10 s). @default 2
   */
  minimumRps: number;
  /** How long the circuit stays open before one probe call may try the adapter. @default 5000 */
  halfOpenAfterMs: number;
}

/** Bulkhead settings: how much of the router one slow adapter may hold. */
export interface BulkheadConfig {
  /** Calls running at once. @default 64 */
  limit: number;
  /** Calls waiting for a slot; beyond that, calls are rejected at once. @default 256 */
  queue: number;
}

/** The complete settings of one adapter's policy, as {@link resolveAdapterPolicyConfig} returns them. */
export interface AdapterPolicyConfig {
  /** Bound on one attempt; the caller's deadline, when sooner, wins. @default 10000 */
  timeoutMs: number;
  retry: RetryConfig;
  breaker: BreakerConfig;
  bulkhead: BulkheadConfig;
}

/** Settings as a caller or config file gives them: everything optional, defaults fill the rest. */
export interface AdapterPolicyConfigInput {
  timeoutMs?: number;
  retry?: Partial<RetryConfig>;
  breaker?: Partial<BreakerConfig>;
  bulkhead?: Partial<BulkheadConfig>;
}

/** The defaults, in one place, so the router and the CLI can print what they run with. */
export const ADAPTER_POLICY_DEFAULTS: Readonly<AdapterPolicyConfig> = Object.freeze({
  timeoutMs: 10_000,
  retry: Object.freeze({ maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 }),
  breaker: Object.freeze({ threshold: 0.5, durationMs: 10_000, minimumRps: 2, halfOpenAfterMs: 5_000 }),
  bulkhead: Object.freeze({ limit: 64, queue: 256 }),
});

/**
 * Fills in the defaults and checks every value, throwing a RangeError that names the field (under
 * `path`, e.g. "adapters.qris.policy") — a bad setting fails at startup, not on the first payment.
 */
export function resolveAdapterPolicyConfig(
  input: AdapterPolicyConfigInput = {},
  path = "policy",
): AdapterPolicyConfig {
  const d = ADAPTER_POLICY_DEFAULTS;
  const config: AdapterPolicyConfig = {
    timeoutMs: input.timeoutMs ?? d.timeoutMs,
    retry: { ...d.retry, ...input.retry },
    breaker: { ...d.breaker, ...input.breaker },
    bulkhead: { ...d.bulkhead, ...input.bulkhead },
  };
  const { retry, breaker, bulkhead } = config;
  checkMs(`${path}.timeoutMs`, config.timeoutMs, 1);
  checkWhole(`${path}.retry.maxAttempts`, retry.maxAttempts, 1);
  checkMs(`${path}.retry.initialDelayMs`, retry.initialDelayMs, 0);
  checkMs(`${path}.retry.maxDelayMs`, retry.maxDelayMs, retry.initialDelayMs);
  // cockatiel's SamplingBreaker throws on 0 and 1, and takes minimumRps 0 to mean "pick one for me".
  const ratio = breaker.threshold > 0 && breaker.threshold < 1;
  check(`${path}.breaker.threshold`, breaker.threshold, ratio, "a ratio strictly between 0 and 1");
  checkMs(`${path}.breaker.durationMs`, breaker.durationMs, 1);
  const rps = Number.isFinite(breaker.minimumRps) && breaker.minimumRps > 0;
  check(`${path}.breaker.minimumRps`, breaker.minimumRps, rps, "a number > 0");
  checkMs(`${path}.breaker.halfOpenAfterMs`, breaker.halfOpenAfterMs, 1);
  checkWhole(`${path}.bulkhead.limit`, bulkhead.limit, 1);
  checkWhole(`${path}.bulkhead.queue`, bulkhead.queue, 0);
  return config;
}
