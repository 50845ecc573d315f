import { GrpcCode, isPaymeshError, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { isCircuitOpenError, isPolicyTimeoutError, neverReachedAdapter } from "@paymesh/resilience";
import type { AdapterHandle } from "./adapter-registry.ts";

/** Which retry rule an adapter call runs under (see @paymesh/resilience). */
export type CallKind = "read" | "create" | "once";

/**
 * Runs one call to an adapter under that adapter's policy (timeout, retry, breaker, bulkhead) and
 * turns whatever fails into a PaymeshError. A call the policy stopped before it left the router
 * (open circuit, full bulkhead) is marked neverReachedProvider: safe to send elsewhere.
 */
export async function callAdapter<T>(
  handle: AdapterHandle,
  kind: CallKind,
  call: (signal: AbortSignal) => Promise<T>,
  options: { deadline: Date; signal?: AbortSignal },
): Promise<T> {
  try {
    return await handle.policy.execute(kind, call, {
      deadline: options.deadline,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      retryable: kind === "create" ? retryableCreate : retryableRead,
    });
  } catch (error) {
    // Open circuit, full bulkhead, or the deadline passed while the call still waited: the request
    // never left the router.
    if (neverReachedAdapter(error)) {
      const why = isCircuitOpenError(error)
        ? "its circuit breaker is open"
        : isPolicyTimeoutError(error)
          ? "the deadline passed before the call could start"
          : "it is at its concurrency limit";
      throw new PaymeshError(
        ErrorReason.ADAPTER_UNAVAILABLE,
        `adapter ${handle.name} was not called: ${why}`,
        {
          code: GrpcCode.UNAVAILABLE,
          neverReachedProvider: true,
          metadata: { adapter: handle.name },
          cause: error,
        },
      );
    }
    if (isPolicyTimeoutError(error)) {
      throw new PaymeshError(ErrorReason.OUTCOME_UNKNOWN, `adapter ${handle.name} did not answer in time`, {
        code: GrpcCode.DEADLINE_EXCEEDED,
        cause: error,
      });
    }
    throw PaymeshError.from(error);
  }
}

/** The call provably never reached a provider, so another adapter may take the payment. */
export function neverReachedProvider(error: PaymeshError): boolean {
  return error.neverReachedProvider;
}

/**
 * Failures that say the adapter or its provider is unwell, which the breaker counts. A refusal
 * (bad input, a decline, not found) is a healthy answer.
 */
export function countsAsAdapterFailure(error: unknown): boolean {
  const code = isPaymeshError(error) ? error.code : GrpcCode.UNKNOWN;
  return (
    code === GrpcCode.UNAVAILABLE ||
    code === GrpcCode.DEADLINE_EXCEEDED ||
    code === GrpcCode.INTERNAL ||
    code === GrpcCode.UNKNOWN ||
    code === GrpcCode.RESOURCE_EXHAUSTED
  );
}

// Why each code is (not) retried. Reads are always safe to repeat. A create is safe to repeat only
// because the adapter's provider-side idempotency key is derived from the payment id, so the
// provider answers a repeat with the payment it already has.
function retryableRead(error: unknown): boolean {
  if (isPolicyTimeoutError(error)) return true; // a slow attempt; the next may be quicker
  if (!isPaymeshError(error)) return false;
  return (
    error.code === GrpcCode.UNAVAILABLE || // adapter or provider briefly down
    error.code === GrpcCode.RESOURCE_EXHAUSTED || // rate limited: backoff helps
    error.code === GrpcCode.DEADLINE_EXCEEDED // a slow attempt; the next may be quicker
  );
}

function retryableCreate(error: unknown): boolean {
  if (!isPaymeshError(error)) return false;
  // INTERNAL and UNKNOWN are not retried: an adapter bug repeats, and the resolver will ask.
  return retryableRead(error);
}
