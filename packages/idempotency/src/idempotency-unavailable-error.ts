/**
 * Thrown when the idempotency store cannot answer: Redis unreachable, too slow, refusing writes, or
 * the store already closed. The router maps it to gRPC UNAVAILABLE, because skipping the check could
 * charge a customer twice (docs/architecture.md §5: an outage fails requests closed).
 */
export class IdempotencyUnavailableError extends Error {
  /**
   * Marker checked by {@link isIdempotencyUnavailableError}: `instanceof` fails when two copies of
   * this package end up in one process (e.g. a service and adapter-kit resolving different paths).
   */
  readonly isIdempotencyUnavailableError = true;
  override readonly name = "IdempotencyUnavailableError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for an {@link IdempotencyUnavailableError} from any copy of this package. */
export function isIdempotencyUnavailableError(error: unknown): error is IdempotencyUnavailableError {
  return (
    typeof error === "object" &&
    error !== null &&
    "isIdempotencyUnavailableError" in error &&
    error.isIdempotencyUnavailableError === true
  );
}
