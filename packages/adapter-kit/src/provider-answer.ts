import type { ProviderAnswer } from "./provider-client.ts";
import { ProviderTransportError } from "./provider-transport-error.ts";

/**
 * An answer that is not the provider's shape (a gateway page, a truncated body, a field of the
 * wrong type) proves nothing about what the provider did, so it is a transport failure after
 * sending: the outcome is unknown. The reason is written into the exchange record for the audit
 * trail.
 */
export function malformedAnswer<Operation extends string>(
  answer: ProviderAnswer<Operation>,
  why: string,
): ProviderTransportError {
  const message = `malformed answer: ${why}`;
  const exchange = { ...answer.exchange, transportError: message };
  return new ProviderTransportError(message, {
    sent: true,
    exchange,
    earlier: answer.exchanges.slice(0, -1),
  });
}

/** The answer's body as a JSON object, or a {@link malformedAnswer} when it is not one. */
export function jsonObject<Operation extends string>(
  answer: ProviderAnswer<Operation>,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(answer.text);
  } catch {
    throw malformedAnswer(answer, `not JSON (HTTP ${answer.status})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformedAnswer(answer, `not a JSON object (HTTP ${answer.status})`);
  }
  return value as Record<string, unknown>;
}
