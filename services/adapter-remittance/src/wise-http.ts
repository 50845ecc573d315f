import { maskBody } from "./wise-masking.ts";

/** The operations the Wise client performs, as recorded in exchanges. */
export type WiseOperation =
  | "createQuote"
  | "getQuote"
  | "createRecipient"
  | "createTransfer"
  | "fundTransfer"
  | "getTransfer"
  | "listTransfers"
  | "cancelTransfer"
  | "listBalances"
  | "balanceStatement";

/** One HTTP round trip, for the payment's audit trail (maps onto ProviderExchange). Bodies are masked. */
export interface WiseExchange {
  operation: WiseOperation;
  httpMethod: string;
  url: string;
  /** The body sent, with names and account numbers masked. */
  requestBody: string;
  responseStatus?: number;
  /** The body received, masked the same way. */
  responseBody?: string;
  startedAt: Date;
  durationMicros: number;
  /** Why no usable answer arrived: connection refused or reset, timeout, abort, unparseable answer. */
  transportError?: string;
}

/**
 * No usable answer arrived. `sent` says whether the request may have reached Wise: false only when
 * it provably did not (connection refused, DNS failure, aborted before sending). When true the
 * outcome is unknown and must be resolved by asking Wise, never guessed (DESIGN.md section 4).
 * `exchange` is the failed round trip; `exchanges` every one of the call, retried attempts first.
 */
export class WiseTransportError extends Error {
  readonly sent: boolean;
  readonly exchange: WiseExchange;
  readonly exchanges: WiseExchange[];
  /** Marker for {@link isWiseTransportError}, which survives duplicated module copies. */
  readonly wiseTransportError = true;

  constructor(
    message: string,
    options: { sent: boolean; exchange: WiseExchange; earlier?: WiseExchange[]; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "WiseTransportError";
    this.sent = options.sent;
    this.exchange = options.exchange;
    this.exchanges = [...(options.earlier ?? []), options.exchange];
  }
}

/** True for a {@link WiseTransportError}, by marker property rather than `instanceof`. */
export function isWiseTransportError(error: unknown): error is WiseTransportError {
  return typeof error === "object" && error !== null && "wiseTransportError" in error;
}

/** What the transport needs: where Wise is, the token, and the injectables. */
export interface WiseHttpOptions {
  baseUrl: string;
  apiToken: string;
  fetch: typeof fetch;
  clock: () => Date;
  timeoutMs: number;
}

/** A raw HTTP answer with its headers (Retry-After) and its (masked) exchange record. */
export interface WiseHttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  exchange: WiseExchange;
}

// Connection errors proving the request never left this process; anything else may have reached Wise.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Creates the one function that talks HTTP to Wise: bearer token, JSON, a per-request timeout, and
 * an exchange record of every round trip, masked before it leaves this function. `earlier` (the
 * call's previous attempts) rides on a transport error for the audit trail.
 */
export function createWiseHttp(options: WiseHttpOptions) {
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, "");
  return async function send(
    operation: WiseOperation,
    method: "GET" | "POST" | "PUT",
    path: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
    earlier: WiseExchange[] = [],
  ): Promise<WiseHttpAnswer> {
    const url = `${baseUrl}${path}`;
    const startedAt = options.clock();
    const started = performance.now();
    const record = (extra: Partial<WiseExchange>): WiseExchange => ({
      operation,
      httpMethod: method,
      url,
      requestBody: maskBody(body ?? ""),
      startedAt,
      durationMicros: Math.max(1, Math.round((performance.now() - started) * 1000)),
      ...extra,
    });
    if (signal?.aborted) {
      const exchange = record({ transportError: "aborted before sending" });
      throw new WiseTransportError("aborted before sending", {
        sent: false,
        exchange,
        earlier,
        cause: signal.reason,
      });
    }
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiToken}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await options.fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), ...(signal ? [signal] : [])]),
      });
    } catch (error) {
      const message = describeError(error);
      const exchange = record({ transportError: message });
      throw new WiseTransportError(message, {
        sent: maySendHaveHappened(error),
        exchange,
        earlier,
        cause: error,
      });
    }
    try {
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        text,
        exchange: record({ responseStatus: response.status, responseBody: maskBody(text) }),
      };
    } catch (error) {
      const message = `answer lost while reading: ${describeError(error)}`;
      const exchange = record({ responseStatus: response.status, transportError: message });
      throw new WiseTransportError(message, { sent: true, exchange, earlier, cause: error });
    }
  };
}

/** The send function {@link createWiseHttp} returns. */
export type WiseSend = ReturnType<typeof createWiseHttp>;

/** The one place platform errors are read: walks the cause chain for connection error codes. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current: unknown = error; typeof current === "object" && current !== null; ) {
    if ("code" in current && typeof current.code === "string") codes.push(current.code);
    current = "cause" in current ? current.cause : undefined;
  }
  return codes;
}

function maySendHaveHappened(error: unknown): boolean {
  return !errorCodes(error).some((code) => NOT_SENT_CODES.has(code));
}

function describeError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return error.name === "TimeoutError" ? "timed out" : "aborted";
  }
  const codes = errorCodes(error);
  const message = error instanceof Error ? error.message : String(error);
  return codes.length === 0 ? message : `${message} (${codes.join(", ")})`;
}
