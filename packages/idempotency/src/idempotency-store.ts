/** Whose key it is: idempotency keys are scoped per calling service (docs/architecture.md §5). */
export interface IdempotencyScope {
  caller: string;
  key: string;
}

/** What a claim found. */
export type ClaimResult =
  /** New key (or an expired lease): the caller owns it until complete/release or the lease ends. */
  | { kind: "claimed"; token: string }
  /** Same key and request, still running elsewhere: answer ABORTED / IDEMPOTENCY_KEY_IN_USE. */
  | { kind: "in_progress" }
  /** Same key and request, finished: return these exact bytes. */
  | { kind: "completed"; response: Uint8Array }
  /** Same key, different request fingerprint: INVALID_ARGUMENT / IDEMPOTENCY_KEY_REUSED. */
  | { kind: "mismatch" };

/**
 * The fast idempotency filter in front of the payment store. Redis can lose acknowledged writes
 * on failover, so this is never the authority (the store's unique constraint is); but an outage
 * must fail requests closed, never skip the check.
 */
export interface IdempotencyStore {
  /** Atomically claims the key with a lease, or reports what holds it. One round trip. */
  claim(scope: IdempotencyScope, fingerprint: string, leaseMs: number): Promise<ClaimResult>;
  /**
   * Stores the finished response for the retention period, if `token` still owns the key.
   * Returns false when the lease was lost (another claimant took over).
   */
  complete(scope: IdempotencyScope, token: string, response: Uint8Array): Promise<boolean>;
  /** Gives up a claim without a response (e.g. the request failed before any provider call). */
  release(scope: IdempotencyScope, token: string): Promise<void>;
  /** Resolves when the store answers a trivial request (readiness probes); rejects as claim would. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
