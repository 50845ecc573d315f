// What services and adapters may use from the resilience package.
export { createAdapterPolicy } from "./adapter-policy.ts";
export {
  ADAPTER_POLICY_DEFAULTS,
  type AdapterPolicyConfig,
  type AdapterPolicyConfigInput,
  type BreakerConfig,
  type BulkheadConfig,
  type RetryConfig,
  resolveAdapterPolicyConfig,
} from "./adapter-policy-config.ts";
export type {
  AdapterCallOptions,
  AdapterPolicy,
  AdapterPolicyOptions,
  AdapterPolicySnapshot,
} from "./adapter-policy-types.ts";
export type { CircuitStateName } from "./breaker-snapshot.ts";
export { createHttpRetryPolicy, HTTP_RETRY_DEFAULTS } from "./http-retry-policy.ts";
export type {
  HttpResponseLike,
  HttpRetryEvent,
  HttpRetryJudgement,
  HttpRetryPolicy,
  HttpRetryPolicyOptions,
} from "./http-retry-types.ts";
export { parseAdapterPolicyConfig } from "./parse-adapter-policy-config.ts";
export {
  isBulkheadRejectedError,
  isCircuitOpenError,
  isPolicyTimeoutError,
  neverReachedAdapter,
  PolicyTimeoutError,
  type StopReason,
} from "./policy-errors.ts";
export type { CallKind, PolicyEvent } from "./policy-events.ts";
export { retryAfterMs } from "./retry-after.ts";
