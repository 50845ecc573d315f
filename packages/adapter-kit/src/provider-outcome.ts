import { ErrorReason } from "@paymesh/proto";
import { type HttpExchange, type ProviderExchangeInit, toExchangeInit } from "./http-exchange.ts";
import { GrpcCode, PaymeshError } from "./paymesh-error.ts";
import { isProviderTransportError, type ProviderTransportError } from "./provider-transport-error.ts";

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
  /**
   * The provider declined the payment itself: a FAILED payment, a normal answer, not an error.
   * `message` is the failure's words when the provider's code says more than its answer does.
   */
  | { kind: "declined"; reason: ErrorReason; message?: string }
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
  /**
   * The call moves no money (a status lookup, a report, a confirmation): a failure leaves nothing
   * to settle, so it is plain UNAVAILABLE rather than an outcome to resolve.
   */
  readOnly?: boolean | undefined;
}

/**
 * The error for an outcome that ends a call without a payment to return: a refusal, an unknown
 * payment, or an uncertain answer that asking the provider could not settle. An uncertain answer
 * to a `readOnly` call is UNAVAILABLE with the outcome's reason: nothing can have happened. (A
 * decline is a FAILED payment and a duplicate is read back: neither is an error.)
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
      if (call.readOnly === true) {
        return new PaymeshError(outcome.reason, `${call.what}: ${call.provider} failed${said}${code}`, {
          code: GrpcCode.UNAVAILABLE,
          ...providerCode,
        });
      }
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
  call: Pick<ProviderCallDescription, "provider" | "what" | "readOnly">,
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

/**
 * The error for a create the provider answered with an error (a 5xx, a spent key) when asking it
 * afterwards found no record of the payment: nothing was created, so the request may go again or
 * to another adapter (UNAVAILABLE, never reached the provider). The reason is an uncertain
 * outcome's own, else PROVIDER_ERROR.
 */
export function nothingCreated(outcome: ProviderOutcome, call: ProviderCallDescription): PaymeshError {
  const said = call.providerMessage === undefined ? "" : `: ${call.providerMessage}`;
  const code = call.providerCode === undefined ? "" : ` (${call.providerCode})`;
  return new PaymeshError(
    outcome.kind === "uncertain" ? outcome.reason : ErrorReason.PROVIDER_ERROR,
    `${call.what}: ${call.provider} failed${said}${code}; it has no record of the payment, so nothing was created`,
    {
      code: GrpcCode.UNAVAILABLE,
      ...(call.providerCode === undefined ? {} : { providerCode: call.providerCode }),
      neverReachedProvider: true,
    },
  );
}

/**
 * Runs the lookup that settles a call which reached the provider and may have acted (a create
 * answered 5xx or "already made", or whose answer was lost). Whatever makes that lookup fail (a
 * refusal, a 5xx, even a connection refused before it was sent) says nothing about the call it
 * should settle, so the failure is OUTCOME_UNKNOWN for the router's status resolver, never a
 * refusal and never "never reached the provider": that could send the payment elsewhere and
 * charge twice.
 */
export async function settleByLookup<T>(
  call: Pick<ProviderCallDescription, "provider" | "what">,
  lookup: () => Promise<T>,
): Promise<T> {
  try {
    return await lookup();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new PaymeshError(
      ErrorReason.OUTCOME_UNKNOWN,
      `${call.what}: ${call.provider} may have acted, and the lookup that should tell failed: ${why}`,
      { code: GrpcCode.DEADLINE_EXCEEDED, cause: error },
    );
  }
}

/**
 * Runs one client call and appends every round trip it made to `trail`, a failed call's too, so
 * the audit trail shows what was sent even when no answer came. No usable answer becomes
 * `failure(error)`, usually {@link transportFailure}; any other error passes through.
 */
export async function recordedCall<Answer extends { exchanges: readonly HttpExchange[] }>(
  trail: ProviderExchangeInit[],
  call: () => Promise<Answer>,
  failure: (error: ProviderTransportError) => Error,
): Promise<Answer> {
  try {
    const answer = await call();
    trail.push(...answer.exchanges.map(toExchangeInit));
    return answer;
  } catch (error) {
    if (!isProviderTransportError(error)) throw error;
    trail.push(...error.exchanges.map(toExchangeInit));
    throw failure(error);
  }
}
