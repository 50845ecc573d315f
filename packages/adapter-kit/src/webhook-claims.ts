// What a webhook that failed verification claims about itself. The router never trusts a claim:
// it only uses one to ask the provider for the payment's real status, so a forged or replayed
// notification costs one status query and changes nothing by itself.

/** ErrorInfo metadata key: the payment id (ours) an unverified webhook body names. */
export const CLAIMED_PAYMENT_ID_KEY = "claimed_payment_id";

/** ErrorInfo metadata key: the provider's reference an unverified webhook body names. */
export const CLAIMED_PROVIDER_REFERENCE_KEY = "claimed_provider_reference";

/**
 * A claim value travels in a gRPC trailer, so a forged body must not be able to inflate it or
 * smuggle control characters into logs: at most 128 printable, space-free ASCII characters.
 */
const PLAUSIBLE_ID = /^[\x21-\x7e]{1,128}$/;

/** The ids an unverified webhook body names; empty or absent when it names none. */
export interface WebhookClaims {
  paymentId?: string | undefined;
  providerReference?: string | undefined;
}

/**
 * ErrorInfo metadata for a WEBHOOK_SIGNATURE_INVALID error: the claimed ids that look like ids,
 * under CLAIMED_PAYMENT_ID_KEY and CLAIMED_PROVIDER_REFERENCE_KEY. Empty values are left out, so
 * a body naming nothing yields `{}` (a plain 401 for the router).
 */
export function webhookClaimsMetadata(claims: WebhookClaims): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (claims.paymentId !== undefined && PLAUSIBLE_ID.test(claims.paymentId))
    metadata[CLAIMED_PAYMENT_ID_KEY] = claims.paymentId;
  if (claims.providerReference !== undefined && PLAUSIBLE_ID.test(claims.providerReference))
    metadata[CLAIMED_PROVIDER_REFERENCE_KEY] = claims.providerReference;
  return metadata;
}
