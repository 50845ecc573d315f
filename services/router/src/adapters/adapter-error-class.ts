import { GrpcCode, isPaymeshError } from "@paymesh/adapter-kit";
import { isPolicyTimeoutError } from "@paymesh/resilience";

/**
 * What one failed adapter call means to the router. Every decision the router makes about an adapter
 * error (end the payment, fail over, count it against the breaker, try again, answer a provider's
 * webhook) reads it from here, so the rules are stated once.
 */
export interface AdapterErrorClass {
  /** The provider definitely refused: nothing was or will be charged, so the payment ends FAILED. */
  refused: boolean;
  /**
   * The request was refused as invalid (INVALID_ARGUMENT), by the adapter's own checks or by its
   * provider's answer: either way nothing was created upstream, so no payment was ever made.
   */
  invalidRequest: boolean;
  /** The call provably never reached a provider: another adapter may take the payment. */
  neverReachedProvider: boolean;
  /** The adapter or its provider is unwell; a refusal (bad input, a decline) is a healthy answer. */
  countsAgainstBreaker: boolean;
  /** Asking again may help. Reads are always safe to repeat. */
  retryRead: boolean;
  /**
   * A create may be repeated only because the adapter derives its provider-side idempotency key from
   * the payment id, so the provider answers a repeat with the payment it already has.
   */
  retryCreate: boolean;
  /** The provider has no record of the payment (an answer only once the payment is old enough). */
  notFound: boolean;
  /**
   * What the router answers a provider whose webhook the adapter's ParseWebhook failed on: 400 for a
   * body that will never parse, 401 for one that did not verify, 503 (deliver again) otherwise.
   */
  webhookStatus: 400 | 401 | 503;
}

type CodeClass = Omit<AdapterErrorClass, "neverReachedProvider">;

/** Nothing to act on: not a refusal, not the adapter's fault, not worth repeating. */
const INERT: CodeClass = {
  refused: false,
  invalidRequest: false,
  countsAgainstBreaker: false,
  retryRead: false,
  retryCreate: false,
  notFound: false,
  webhookStatus: 503,
};
/** The provider said no for good. */
const REFUSED: CodeClass = { ...INERT, refused: true };
/** Unwell, and briefly so: backing off and asking again may get an answer. */
const TRANSIENT: CodeClass = { ...INERT, countsAgainstBreaker: true, retryRead: true, retryCreate: true };
/** Unwell in a way that repeats (an adapter bug): counted, never retried; the resolver will ask. */
const BROKEN: CodeClass = { ...INERT, countsAgainstBreaker: true };

/**
 * The table, by the gRPC code the error travels as. A PaymeshError reason always travels as its own
 * code (adapter-kit's defaultCodeFor), so this is also the table by reason; whether the call reached
 * a provider is the error's own neverReachedProvider flag, never guessed from the code.
 */
const BY_CODE: Readonly<Record<GrpcCode, CodeClass>> = {
  [GrpcCode.OK]: INERT,
  [GrpcCode.CANCELLED]: INERT,
  [GrpcCode.UNKNOWN]: BROKEN,
  [GrpcCode.INVALID_ARGUMENT]: { ...REFUSED, invalidRequest: true, webhookStatus: 400 },
  [GrpcCode.DEADLINE_EXCEEDED]: TRANSIENT, // a slow attempt; the next may be quicker
  [GrpcCode.NOT_FOUND]: { ...INERT, notFound: true },
  [GrpcCode.ALREADY_EXISTS]: INERT,
  [GrpcCode.PERMISSION_DENIED]: REFUSED,
  [GrpcCode.RESOURCE_EXHAUSTED]: TRANSIENT, // rate limited: backoff helps
  [GrpcCode.FAILED_PRECONDITION]: REFUSED,
  [GrpcCode.ABORTED]: INERT,
  [GrpcCode.OUT_OF_RANGE]: REFUSED,
  [GrpcCode.UNIMPLEMENTED]: REFUSED,
  [GrpcCode.INTERNAL]: BROKEN,
  [GrpcCode.UNAVAILABLE]: TRANSIENT, // adapter or provider briefly down
  [GrpcCode.DATA_LOSS]: INERT,
  [GrpcCode.UNAUTHENTICATED]: { ...INERT, webhookStatus: 401 },
};

/**
 * An attempt the router's own policy stopped for taking too long (not a PaymeshError). Counted, and
 * a read is asked again; a create is not, as the attempt may still be on its way to the provider.
 */
const ATTEMPT_TIMED_OUT: AdapterErrorClass = {
  ...TRANSIENT,
  retryCreate: false,
  neverReachedProvider: false,
};

/** Anything else thrown (not from the adapter's answer): treated as UNKNOWN, never as a refusal. */
const UNRECOGNIZED: AdapterErrorClass = { ...BROKEN, neverReachedProvider: false };

/** The class of whatever an adapter call failed with. */
export function classifyAdapterError(error: unknown): AdapterErrorClass {
  if (isPolicyTimeoutError(error)) return ATTEMPT_TIMED_OUT;
  if (!isPaymeshError(error)) return UNRECOGNIZED;
  return {
    ...(BY_CODE[error.code] ?? BY_CODE[GrpcCode.UNKNOWN]),
    neverReachedProvider: error.neverReachedProvider,
  };
}
