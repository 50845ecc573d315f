import { maskJsonText } from "./masking.ts";

/** The operations the Xendit client performs, as recorded in exchanges. */
export type XenditOperation =
  | "createDisbursement"
  | "getDisbursement"
  | "findDisbursements"
  | "listTransactions";

/**
 * One HTTP round trip, for the payment's audit trail (maps onto ProviderExchange). Bodies are
 * recorded with account numbers and names masked: this record is stored and logged.
 */
export interface XenditExchange {
  operation: XenditOperation;
  httpMethod: string;
  url: string;
  requestBody: string;
  responseStatus?: number;
  responseBody?: string;
  startedAt: Date;
  durationMicros: number;
  /** Why no usable answer arrived: connection refused or reset, timeout, abort, unparseable answer. */
  transportError?: string;
}

/**
 * No usable answer arrived. `sent` is false only when the request provably never left this
 * process (connection refused, DNS failure, aborted before sending); when true, Xendit may have
 * acted and the outcome must be resolved by asking it, never guessed (DESIGN.md section 4).
 * `exchange` is the failed round trip; `exchanges` every one of the call, retried attempts first.
 */
export class XenditTransportError extends Error {
  readonly sent: boolean;
  readonly exchange: XenditExchange;
  readonly exchanges: XenditExchange[];
  /** Marker for {@link isXenditTransportError}, which survives duplicated module copies. */
  readonly xenditTransportError = true;

  constructor(
    message: string,
    options: { sent: boolean; exchange: XenditExchange; earlier?: XenditExchange[]; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "XenditTransportError";
    this.sent = options.sent;
    this.exchange = options.exchange;
    this.exchanges = [...(options.earlier ?? []), options.exchange];
  }
}

/** True for a {@link XenditTransportError}, by marker property rather than `instanceof`. */
export function isXenditTransportError(error: unknown): error is XenditTransportError {
  return typeof error === "object" && error !== null && "xenditTransportError" in error;
}

/** A raw answer: status, headers (Retry-After), text, and its (masked) exchange record. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  exchange: XenditExchange;
}

/** What one round trip needs. */
export interface RoundTrip {
  operation: XenditOperation;
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** Exactly the bytes to send; "" for GET. */
  body: string;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  clock: () => Date;
  fetch: typeof fetch;
  /** The call's earlier attempts, carried by a transport error for the audit trail. @default [] */
  earlier?: XenditExchange[];
}

// Connection errors proving the request never left this process; anything else may have reached Xendit.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Sends one request; throws XenditTransportError when no answer arrives. */
export async function roundTrip(trip: RoundTrip): Promise<RawAnswer> {
  const startedAt = trip.clock();
  const started = performance.now();
  const record = (extra: Partial<XenditExchange>): XenditExchange => ({
    operation: trip.operation,
    httpMethod: trip.method,
    url: trip.url,
    requestBody: maskJsonText(trip.body),
    startedAt,
    durationMicros: Math.round((performance.now() - started) * 1000),
    ...extra,
  });
  if (trip.signal?.aborted === true) {
    const exchange = record({ transportError: "aborted before sending" });
    throw new XenditTransportError("aborted before sending", {
      sent: false,
      exchange,
      earlier: trip.earlier ?? [],
      cause: trip.signal.reason,
    });
  }
  const signals = [AbortSignal.timeout(trip.timeoutMs), ...(trip.signal === undefined ? [] : [trip.signal])];
  let response: Response;
  try {
    response = await trip.fetch(trip.url, {
      method: trip.method,
      headers: trip.headers,
      ...(trip.method === "POST" ? { body: trip.body } : {}),
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    const message = describeError(error);
    const sent = !errorCodes(error).some((code) => NOT_SENT_CODES.has(code));
    throw new XenditTransportError(message, {
      sent,
      exchange: record({ transportError: message }),
      earlier: trip.earlier ?? [],
      cause: error,
    });
  }
  try {
    const text = await response.text();
    const exchange = record({ responseStatus: response.status, responseBody: maskJsonText(text) });
    return { status: response.status, headers: response.headers, text, exchange };
  } catch (error) {
    const message = `answer lost while reading: ${describeError(error)}`;
    const exchange = record({ responseStatus: response.status, transportError: message });
    throw new XenditTransportError(message, {
      sent: true,
      exchange,
      earlier: trip.earlier ?? [],
      cause: error,
    });
  }
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

function describeError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return error.name === "TimeoutError" ? "timed out" : "aborted";
  }
  const codes = errorCodes(error);
  const message = error instanceof Error ? error.message : String(error);
  return codes.length === 0 ? message : `${message} (${codes.join(", ")})`;
}
