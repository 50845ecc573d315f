import type { AdapterPolicyConfig, AdapterPolicyConfigInput } from "./adapter-policy-config.ts";
import type { CircuitStateName } from "./breaker-snapshot.ts";
import type { CallKind, PolicyEvent } from "./policy-events.ts";

/** Options of {@link createAdapterPolicy}: the tunables (see AdapterPolicyConfig for defaults) plus hooks. */
export interface AdapterPolicyOptions extends AdapterPolicyConfigInput {
  /** Adapter name, carried by every event. */
  name: string;
  /**
   * Which failures count against the breaker: the adapter being unwell (UNAVAILABLE, DEADLINE_EXCEEDED,
   * INTERNAL, and policy timeouts — see isPolicyTimeoutError), not a request it rightly refused
   * (INVALID_ARGUMENT, a provider decline). A caller's cancellation never counts.
   */
  countsAsFailure: (error: unknown) => boolean;
  /** Receives retries, timeouts, breaker transitions and bulkhead rejections. @default none */
  onEvent?: (event: PolicyEvent) => void;
}

/** Per-call options of AdapterPolicy.execute. */
export interface AdapterCallOptions {
  /** The caller's deadline (Date or epoch ms); no attempt, queueing or backoff runs past it. */
  deadline?: Date | number;
  /** The caller's cancellation. */
  signal?: AbortSignal;
  /** Whether repeating this request after `error` is safe and useful; consulted for "read" and "create". */
  retryable: (error: unknown) => boolean;
}

/** What a health endpoint shows for one adapter. */
export interface AdapterPolicySnapshot {
  name: string;
  state: CircuitStateName;
  /** Failure ratio in the breaker's sampling window; null when it saw no calls. */
  failureRatio: number | null;
  /** Free bulkhead slots and free queue places (cockatiel's names), and their complements. */
  executionSlots: number;
  queueSlots: number;
  inFlight: number;
  queued: number;
}

/** One adapter's resilience policy; create one per adapter and reuse it, or the breaker learns nothing. */
export interface AdapterPolicy {
  /**
   * Runs one adapter call under bulkhead → retry → breaker → timeout (outermost first). `kind` picks the
   * retry rule: "read" (GetPaymentStatus, Describe) and "create" (CreatePayment, safe only because the
   * provider idempotency key is derived from the payment id) retry what `retryable` accepts; "once"
   * (ParseWebhook, CancelPayment) never retries. Each attempt gets its own signal, aborted after
   * `timeoutMs` or at the caller's deadline, whichever is sooner; a call that then fails rejects with a
   * PolicyTimeoutError. An open circuit is never retried and rejects at once (isCircuitOpenError), as does
   * a full bulkhead (isBulkheadRejectedError): neither reached the adapter (neverReachedAdapter). Otherwise
   * the error is the last attempt's own, so the caller classifies it as it would without the policy.
   */
  execute<T>(
    kind: CallKind,
    call: (signal: AbortSignal) => Promise<T>,
    options: AdapterCallOptions,
  ): Promise<T>;
  state(): CircuitStateName;
  snapshot(): AdapterPolicySnapshot;
  /** Operator kill switch: holds the circuit open until every handle is disposed. */
  isolate(): { dispose(): void };
  /** Stops event delivery and refuses new calls; calls in flight finish. */
  dispose(): void;
  /** The resolved settings, for logs and health output. */
  readonly config: AdapterPolicyConfig;
}
