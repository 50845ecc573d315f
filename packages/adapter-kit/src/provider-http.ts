import type { ProviderCallOutcome } from "./adapter-metrics.ts";
import type { HttpExchange } from "./http-exchange.ts";
import {
  describeTransportError,
  maySendHaveHappened,
  ProviderTransportError,
  type ProviderTransportErrorInit,
} from "./provider-transport-error.ts";

/** How an adapter talks HTTP to its provider; everything but `baseUrl` has a default. */
export interface ProviderHttpOptions<Operation extends string> {
  /** Scheme, host and any path prefix; a trailing slash is dropped. Parsed at creation. */
  baseUrl: string;
  /** Per round trip, answer body included. @default 10000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Stamps `startedAt`. @default () => new Date() */
  clock?: () => Date;
  /** Applied to both bodies before they are recorded (account numbers, names). @default none */
  maskBody?: (body: string) => string;
  /**
   * Builds the error a failed round trip throws, so an adapter's callers see its own error type.
   * @default new ProviderTransportError(message, init)
   */
  transportError?: (
    message: string,
    init: ProviderTransportErrorInit<HttpExchange<Operation>>,
  ) => ProviderTransportError<HttpExchange<Operation>>;
  /** Told how every round trip ended and how long it took, for metrics. @default nothing */
  onRoundTrip?: (trip: ProviderRoundTrip<Operation>) => void;
}

/** One round trip as {@link ProviderHttpOptions.onRoundTrip} reports it. */
export interface ProviderRoundTrip<Operation extends string> {
  operation: Operation;
  /** ok (below 400), refused (4xx), error (5xx, or no complete answer), timeout, or unreachable (never sent). */
  outcome: ProviderCallOutcome;
  durationMs: number;
}

/** One round trip to send. Headers, auth and signatures are the adapter's; the bytes are sent as given. */
export interface ProviderHttpRequest<Operation extends string> {
  operation: Operation;
  method: string;
  /** Appended to the base URL, query included. */
  path: string;
  headers: Record<string, string>;
  /** Exactly the bytes to send; absent sends no body (and records ""). */
  body?: string | undefined;
  /** The caller's (or a retry policy's) signal; the timeout applies as well. */
  signal?: AbortSignal | undefined;
  /** The call's earlier round trips, carried by a transport error for the audit trail. @default [] */
  earlier?: readonly HttpExchange<Operation>[] | undefined;
}

/** A provider's answer, whatever its status: the adapter reads it. */
export interface ProviderHttpAnswer<Operation extends string> {
  status: number;
  /** For Retry-After and the like. */
  headers: Headers;
  /** The body as received, unmasked. */
  text: string;
  /** This round trip's record, bodies masked. */
  exchange: HttpExchange<Operation>;
}

/** What {@link createProviderHttp} returns. */
export interface ProviderHttp<Operation extends string> {
  /** The normalised base URL (no trailing slash), for adapters that sign or log full URLs. */
  readonly baseUrl: string;
  /** Sends one request; throws a ProviderTransportError when no complete answer arrives. */
  send(request: ProviderHttpRequest<Operation>): Promise<ProviderHttpAnswer<Operation>>;
}

/**
 * Creates the one function through which an adapter talks HTTP to its provider: one `fetch` per
 * call under a timeout and the caller's signal, every round trip recorded as an
 * {@link HttpExchange}, and every failure to get a complete answer thrown as a transport error
 * saying whether the request may have been sent. It never retries and never reads the answer:
 * retry judgements and answer shapes belong to the adapter.
 */
export function createProviderHttp<Operation extends string>(
  options: ProviderHttpOptions<Operation>,
): ProviderHttp<Operation> {
  // Parsed once so a misconfigured URL fails at startup, not on the first payment.
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? (() => new Date());
  const mask = options.maskBody ?? ((body: string) => body);
  const onRoundTrip = options.onRoundTrip ?? (() => {});
  const baseTransportError =
    options.transportError ??
    ((message, init) => new ProviderTransportError<HttpExchange<Operation>>(message, init));
  /** The transport error to throw, its round trip reported first. */
  const transportError: typeof baseTransportError = (message, init) => {
    const timedOut = init.cause instanceof Error && init.cause.name === "TimeoutError";
    const outcome = !init.sent ? "unreachable" : timedOut ? "timeout" : "error";
    onRoundTrip({
      operation: init.exchange.operation,
      outcome,
      durationMs: init.exchange.durationMicros / 1000,
    });
    return baseTransportError(message, init);
  };

  async function send(request: ProviderHttpRequest<Operation>): Promise<ProviderHttpAnswer<Operation>> {
    const { operation, method, body, signal } = request;
    const url = `${baseUrl}${request.path}`;
    const earlier = request.earlier ?? [];
    const startedAt = clock();
    const started = performance.now();
    const record = (extra: Partial<HttpExchange<Operation>>): HttpExchange<Operation> => ({
      operation,
      httpMethod: method,
      url,
      requestBody: mask(body ?? ""),
      startedAt,
      // At least 1: a recorded round trip took some time, even one that ended before sending.
      durationMicros: Math.max(1, Math.round((performance.now() - started) * 1000)),
      ...extra,
    });
    if (signal?.aborted === true) {
      const message = "aborted before sending";
      throw transportError(message, {
        sent: false,
        exchange: record({ transportError: message }),
        earlier,
        cause: signal.reason,
      });
    }
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal === undefined ? [] : [signal])];
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: request.headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      const message = describeTransportError(error);
      throw transportError(message, {
        sent: maySendHaveHappened(error),
        exchange: record({ transportError: message }),
        earlier,
        cause: error,
      });
    }
    try {
      const text = await response.text();
      const exchange = record({ responseStatus: response.status, responseBody: mask(text) });
      const outcome = response.status < 400 ? "ok" : response.status < 500 ? "refused" : "error";
      onRoundTrip({ operation, outcome, durationMs: exchange.durationMicros / 1000 });
      return { status: response.status, headers: response.headers, text, exchange };
    } catch (error) {
      // The status line arrived, so the request did too: whatever the provider did stands.
      const message = `answer lost while reading: ${describeTransportError(error)}`;
      throw transportError(message, {
        sent: true,
        exchange: record({ responseStatus: response.status, transportError: message }),
        earlier,
        cause: error,
      });
    }
  }

  return { baseUrl, send };
}
