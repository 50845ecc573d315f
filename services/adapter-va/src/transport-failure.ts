import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import type { MidtransTransportError } from "./midtrans-client.ts";

/**
 * The PaymeshError for a call that got no usable answer. Not sent: Midtrans is unreachable and
 * nothing happened (UNAVAILABLE, `reached_provider: false`, safe to retry). Sent: the outcome is
 * unknown and must be resolved by asking the status API, never guessed (DESIGN.md §4), so the
 * error is OUTCOME_UNKNOWN as DEADLINE_EXCEEDED — unless the call only reads (`readOnly`), when
 * there is nothing to resolve and it is plain UNAVAILABLE.
 */
export function transportFailure(
  error: MidtransTransportError,
  what: string,
  readOnly = false,
): PaymeshError {
  if (!error.sent) {
    return new PaymeshError(
      ErrorReason.PROVIDER_UNAVAILABLE,
      `${what}: Midtrans could not be reached: ${error.message}`,
      {
        code: GrpcCode.UNAVAILABLE,
        neverReachedProvider: true,
        cause: error,
      },
    );
  }
  if (readOnly) {
    return new PaymeshError(
      ErrorReason.PROVIDER_UNAVAILABLE,
      `${what}: Midtrans's answer was lost: ${error.message}`,
      {
        code: GrpcCode.UNAVAILABLE,
        cause: error,
      },
    );
  }
  return new PaymeshError(
    ErrorReason.OUTCOME_UNKNOWN,
    `${what}: Midtrans's answer was lost: ${error.message}`,
    {
      code: GrpcCode.DEADLINE_EXCEEDED,
      cause: error,
    },
  );
}
