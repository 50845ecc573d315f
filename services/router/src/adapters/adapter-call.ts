import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { isCircuitOpenError, isPolicyTimeoutError, neverReachedAdapter } from "@paymesh/resilience";
import { classifyAdapterError } from "./adapter-error-class.ts";
import type { AdapterHandle } from "./adapter-handle.ts";

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
      retryable: (error) => {
        const errorClass = classifyAdapterError(error);
        return kind === "create" ? errorClass.retryCreate : errorClass.retryRead;
      },
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
