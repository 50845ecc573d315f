import { ErrorReason } from "@paymesh/proto";
import { GrpcCode, PaymeshError } from "./paymesh-error.ts";
import type { ProviderTransportError } from "./provider-transport-error.ts";

/**
 * What one provider answer means for a payment: the one outcome type every adapter's error table
 * maps its provider's codes to.
 */
export type ProviderOutcome =
  /**
   * The provider refused the request and created nothing. `field` names the request field at
   * fault; `retryLater` says the same request may simply be sent again later (rate limit, a
   * temporary bank outage), so it is marked as never having reached the provider.
   */
  | { kind: "refused"; reason: ErrorReason; code?: GrpcCode; field?: string; retryLater?: boolean }
  /** The provider declined the payment itself: a FAILED payment, a normal answer, not an error. */
  | { kind: "declined"; reason: ErrorReason }
  /** The provider already has this payment (its idempotency key was spent): read it instead. */
  | { kind: "duplicate" }
  /** The provider does not know the payment. */
  | { kind: "not-found" }
  /** The provider may or may not have acted: ask it before answering, never guess. */
  | { kind: "uncertain"; reason: ErrorReason };

/** What a call was, for the words of the error it turns into. */
export interface ProviderCallDescription {
  /** The provider's name, e.g. "Midtrans". */
  provider: string;
  /** What the adapter was doing, e.g. "charge", "status lookup". */
  what: string;
  /** The provider's own code, verbatim, carried as ErrorInfo `provider_code`. */
  providerCode?: string | undefined;
  /** The provider's own words about it. */
  providerMessage?: string | undefined;
}

/**
 * The error for an outcome that ends a call without a payment to return: a refusal, an unknown
 * payment, or an uncertain answer that asking the provider could not settle. (A decline is a
 * FAILED payment and a duplicate is read back: neither is an error.)
 */
export function outcomeError(
  outcome: Exclude<ProviderOutcome, { kind: "declined" | "duplicate" }>,
  call: ProviderCallDescription,
): PaymeshError {
  const said = call.providerMessage === undefined ? "" : `: ${call.providerMessage}`;
  const code = call.providerCode === undefined ? "" : ` (${call.providerCode})`;
  const providerCode = call.providerCode === undefined ? {} : { providerCode: call.providerCode };
  switch (outcome.kind) {
    case "refused":
      return new PaymeshError(outcome.reason, `${call.what}: ${call.provider} refused it${said}${code}`, {
        ...(outcome.code === undefined ? {} : { code: outcome.code }),
        ...(outcome.field === undefined ? {} : { field: outcome.field }),
        ...providerCode,
        neverReachedProvider: outcome.retryLater === true,
      });
    case "not-found":
      return new PaymeshError(
        ErrorReason.PAYMENT_NOT_FOUND,
        `${call.what}: ${call.provider} does not know this payment${code}`,
        { code: GrpcCode.NOT_FOUND, ...providerCode },
      );
    case "uncertain":
      return new PaymeshError(
        ErrorReason.OUTCOME_UNKNOWN,
        `${call.what}: ${call.provider} failed and may have acted${said}${code}`,
        { code: GrpcCode.DEADLINE_EXCEEDED, ...providerCode },
      );
  }
}

/**
 * The error for a call that got no usable answer. Not sent: the provider is unreachable and
 * nothing happened (UNAVAILABLE, never reached the provider: safe to repeat or send elsewhere).
 * Sent: the outcome is unknown and must be settled by asking the provider, never guessed
 * (OUTCOME_UNKNOWN as DEADLINE_EXCEEDED), unless the call only reads, when there is nothing to
 * settle and it is plain UNAVAILABLE.
 */
export function transportFailure(
  error: ProviderTransportError,
  call: Pick<ProviderCallDescription, "provider" | "what"> & { readOnly?: boolean },
): PaymeshError {
  if (!error.sent) {
    return new PaymeshError(
      ErrorReason.PROVIDER_UNAVAILABLE,
      `${call.what}: ${call.provider} could not be reached: ${error.message}`,
      { code: GrpcCode.UNAVAILABLE, neverReachedProvider: true, cause: error },
    );
  }
  const lost = `${call.what}: ${call.provider}'s answer was lost: ${error.message}`;
  if (call.readOnly === true) {
    return new PaymeshError(ErrorReason.PROVIDER_UNAVAILABLE, lost, {
      code: GrpcCode.UNAVAILABLE,
      cause: error,
    });
  }
  return new PaymeshError(ErrorReason.OUTCOME_UNKNOWN, lost, {
    code: GrpcCode.DEADLINE_EXCEEDED,
    cause: error,
  });
}
