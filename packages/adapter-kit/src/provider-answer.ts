import { parseExactJson } from "./exact-json.ts";
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

/** How an answer's JSON is read. */
export interface JsonReadOptions {
  /**
   * Every number as its exact source text ({@link parseExactJson}), for a provider that sends
   * amounts and long ids as JSON numbers. @default false (plain JSON.parse)
   */
  exact?: boolean;
}

function parse(text: string, options: JsonReadOptions): unknown {
  return options.exact === true ? parseExactJson(text) : JSON.parse(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The answer's body as any JSON value (an object, a list), or a {@link malformedAnswer} when it is not JSON. */
export function jsonValue<Operation extends string>(
  answer: ProviderAnswer<Operation>,
  options: JsonReadOptions = {},
): unknown {
  try {
    return parse(answer.text, options);
  } catch {
    throw malformedAnswer(answer, `not JSON (HTTP ${answer.status})`);
  }
}

/** The answer's body as a JSON object, or a {@link malformedAnswer} when it is not one. */
export function jsonObject<Operation extends string>(
  answer: ProviderAnswer<Operation>,
  options: JsonReadOptions = {},
): Record<string, unknown> {
  const value = jsonValue(answer, options);
  if (!isObject(value)) throw malformedAnswer(answer, `not a JSON object (HTTP ${answer.status})`);
  return value;
}

/**
 * Text as a JSON object, or undefined when it is not one: for readers that must not throw, such as
 * a retry decision (a gateway page proves nothing) or an error answer's optional details.
 */
export function jsonObjectOf(
  text: string,
  options: JsonReadOptions = {},
): Record<string, unknown> | undefined {
  try {
    const value = parse(text, options);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
