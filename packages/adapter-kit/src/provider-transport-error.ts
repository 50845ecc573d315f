import type { HttpExchange } from "./http-exchange.ts";

/** What a {@link ProviderTransportError} is built from. */
export interface ProviderTransportErrorInit<E extends HttpExchange = HttpExchange> {
  /** False only when the request provably never left this process. */
  sent: boolean;
  /** The failed round trip. */
  exchange: E;
  /** The call's earlier round trips (retried attempts, token fetches), oldest first. @default [] */
  earlier?: readonly E[];
  cause?: unknown;
}

/**
 * No usable answer arrived from a provider. `sent` is false only when the request provably never
 * left this process (connection refused, DNS failure, aborted before sending); when true the
 * provider may have acted, and the outcome must be resolved by asking it, never guessed
 * (docs/architecture.md §4). `exchange` is the failed round trip; `exchanges` every one of the call,
 * earlier attempts first. It is the one transport error of every adapter.
 */
export class ProviderTransportError<E extends HttpExchange = HttpExchange> extends Error {
  readonly sent: boolean;
  readonly exchange: E;
  readonly exchanges: E[];
  /** Marker for {@link isProviderTransportError}, which survives duplicated module copies. */
  readonly providerTransportError = true;

  constructor(message: string, init: ProviderTransportErrorInit<E>) {
    super(message, { cause: init.cause });
    this.name = "ProviderTransportError";
    this.sent = init.sent;
    this.exchange = init.exchange;
    this.exchanges = [...(init.earlier ?? []), init.exchange];
  }
}

/** True for a {@link ProviderTransportError} (any adapter's subclass too), by marker rather than `instanceof`. */
export function isProviderTransportError(error: unknown): error is ProviderTransportError {
  return (
    typeof error === "object" &&
    error !== null &&
    "providerTransportError" in error &&
    error.providerTransportError === true
  );
}

// Connection errors proving the request never left this process; anything else may have reached
// the provider (a reset or timeout can come after the provider read the request and acted on it).
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether a failed `fetch` may have delivered the request: false only for the connection errors
 * above, found anywhere in the `cause` chain. Unknown failures count as sent, the safe side.
 */
export function maySendHaveHappened(error: unknown): boolean {
  return !errorCodes(error).some((code) => NOT_SENT_CODES.has(code));
}

/** A transport failure in words for the exchange record: "timed out", "aborted", or the message and codes. */
export function describeTransportError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return error.name === "TimeoutError" ? "timed out" : "aborted";
  }
  const codes = errorCodes(error);
  const message = error instanceof Error ? error.message : String(error);
  return codes.length === 0 ? message : `${message} (${codes.join(", ")})`;
}

/** The one place platform errors are read: walks the cause chain for connection error codes. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current: unknown = error; typeof current === "object" && current !== null; ) {
    if ("code" in current && typeof current.code === "string") codes.push(current.code);
    current = "cause" in current ? current.cause : undefined;
  }
  return codes;
}
