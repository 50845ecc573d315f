import { createHttpRetryPolicy } from "@paymesh/resilience";
import { maskBody } from "./mask.ts";
import { type MidtransRetryOptions, midtransAttempt, midtransJudgement } from "./midtrans-retry.ts";
import {
  type ChargeRequest,
  MalformedAnswer,
  type MidtransTransaction,
  readSettlements,
  readTransaction,
  type SettlementRecord,
} from "./midtrans-wire.ts";

/** Connection details and credentials for one Midtrans merchant account. */
export interface MidtransClientOptions {
  /** `https://api.sandbox.midtrans.com`, `https://api.midtrans.com`, or a simulator's URL. */
  baseUrl: string;
  /** Server Key: `Authorization: Basic base64(serverKey + ":")`. */
  serverKey: string;
  /**
   * Sent as `X-Override-Notification` on every charge, so this account's notifications for
   * Paymesh payments go to the router whatever the dashboard says. @default none (the dashboard URL)
   */
  overrideNotificationUrl?: string;
  /** @default () => new Date() */
  clock?: () => Date;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per HTTP request. @default 10000 */
  timeoutMs?: number;
  /**
   * Backoff of the retries after 429/5xx (Retry-After honoured) and lost answers; which calls are
   * retried is fixed in midtrans-retry.ts. `{ maxAttempts: 1 }` turns retrying off.
   * @default 3 calls, 100 ms first backoff, 2000 ms cap
   */
  retry?: MidtransRetryOptions;
}

/** The operations this client performs, as recorded in exchanges. */
export type MidtransOperation = "charge" | "status" | "cancel" | "settlements";

/** One HTTP round trip for the audit trail (ProviderExchange), account numbers and names masked. */
export interface MidtransExchange {
  operation: MidtransOperation;
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
 * What a call resolves to when Midtrans answered. `statusCode` is the body's `status_code`, which
 * is what counts: Midtrans wraps several errors in HTTP 200 (PROVIDERS.md), so `httpStatus` is
 * kept only for the record. `exchange` is the final round trip; `exchanges` every one of the call,
 * retried attempts first, for the audit trail.
 */
export type MidtransAnswer<T> =
  | {
      ok: true;
      statusCode: string;
      statusMessage: string;
      httpStatus: number;
      body: T;
      exchange: MidtransExchange;
      exchanges: MidtransExchange[];
    }
  | {
      ok: false;
      statusCode: string;
      statusMessage: string;
      httpStatus: number;
      validationMessages: string[];
      exchange: MidtransExchange;
      exchanges: MidtransExchange[];
    };

/**
 * No usable answer arrived. `sent` is false only when the request provably never left (connection
 * refused, DNS failure, aborted before sending); when true the outcome is unknown and must be
 * resolved by asking the status API, never guessed (DESIGN.md §4). `exchange` is the failed round
 * trip; `exchanges` every one of the call, retried attempts first.
 */
export class MidtransTransportError extends Error {
  readonly sent: boolean;
  readonly exchange: MidtransExchange;
  readonly exchanges: MidtransExchange[];
  /** Marker for {@link isMidtransTransportError}, which survives duplicated module copies. */
  readonly midtransTransportError = true;

  constructor(
    message: string,
    options: { sent: boolean; exchange: MidtransExchange; earlier?: MidtransExchange[]; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "MidtransTransportError";
    this.sent = options.sent;
    this.exchange = options.exchange;
    this.exchanges = [...(options.earlier ?? []), options.exchange];
  }
}

/** True for a {@link MidtransTransportError}, by marker property rather than `instanceof`. */
export function isMidtransTransportError(error: unknown): error is MidtransTransportError {
  return typeof error === "object" && error !== null && "midtransTransportError" in error;
}

/** The Midtrans Core API calls the VA adapter needs. */
export interface MidtransClient {
  /** `POST /v2/charge`. order_id is the idempotency key: Midtrans refuses a second one with 406. */
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<MidtransAnswer<MidtransTransaction>>;
  /** `GET /v2/{order_id}/status` (order_id or transaction_id). */
  status(orderId: string, signal?: AbortSignal): Promise<MidtransAnswer<MidtransTransaction>>;
  /** `POST /v2/{order_id}/cancel`. */
  cancel(orderId: string, signal?: AbortSignal): Promise<MidtransAnswer<MidtransTransaction>>;
  /** The simulator's settlement report for a WIB day, `yyyy-MM-dd` (not a Midtrans API). */
  settlements(date: string, signal?: AbortSignal): Promise<MidtransAnswer<SettlementRecord[]>>;
}

// Connection errors proving the request never left this process; anything else may have reached Midtrans.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

type JsonRecord = Record<string, unknown>;

/** One HTTP round trip's raw result. */
interface RawAnswer {
  status: number;
  text: string;
  exchange: MidtransExchange;
}

/**
 * Creates the HTTP client for the Midtrans Core API: Basic auth with the server key, JSON in and
 * out, every round trip recorded with account numbers and names masked. Each call runs under one
 * HTTP retry policy: 429 and 5xx are retried with backoff honouring Retry-After, except where the
 * answer shows Midtrans acted; a lost answer is retried only for reads (midtrans-retry.ts).
 */
export function createMidtransClient(options: MidtransClientOptions): MidtransClient {
  const clock = options.clock ?? (() => new Date());
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Parsed once so a misconfigured URL fails at startup, not on the first payment.
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, "");
  const authorization = `Basic ${Buffer.from(`${options.serverKey}:`, "utf8").toString("base64")}`;
  // One policy for the client's life; each call brings its own judgement.
  const policy = createHttpRetryPolicy({ name: "midtrans", ...options.retry });

  async function call<T>(
    operation: MidtransOperation,
    method: "GET" | "POST",
    path: string,
    payload: object | undefined,
    signal: AbortSignal | undefined,
    read: (record: JsonRecord, statusCode: string) => T | undefined,
  ): Promise<MidtransAnswer<T>> {
    const url = `${baseUrl}${path}`;
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const headers: Record<string, string> = { Accept: "application/json", Authorization: authorization };
    if (method === "POST") headers["Content-Type"] = "application/json";
    if (operation === "charge" && options.overrideNotificationUrl !== undefined) {
      headers["X-Override-Notification"] = options.overrideNotificationUrl;
    }
    const done: MidtransExchange[] = [];

    /** One round trip; throws MidtransTransportError (carrying the earlier attempts) when no answer arrives. */
    async function attempt(attemptSignal: AbortSignal | undefined) {
      const startedAt = clock();
      const started = performance.now();
      const record = (extra: Partial<MidtransExchange>): MidtransExchange => ({
        operation,
        httpMethod: method,
        url,
        requestBody: maskBody(body),
        startedAt,
        durationMicros: Math.round((performance.now() - started) * 1000),
        ...extra,
      });
      const fail = (message: string, sent: boolean, exchange: MidtransExchange, cause: unknown) => {
        const error = new MidtransTransportError(message, { sent, exchange, earlier: [...done], cause });
        done.push(exchange);
        return error;
      };
      if (attemptSignal?.aborted) {
        const exchange = record({ transportError: "aborted before sending" });
        throw fail("aborted before sending", false, exchange, attemptSignal.reason);
      }
      const signals = [
        AbortSignal.timeout(timeoutMs),
        ...(attemptSignal === undefined ? [] : [attemptSignal]),
      ];
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers,
          ...(method === "POST" ? { body } : {}),
          signal: AbortSignal.any(signals),
        });
      } catch (error) {
        const message = describeError(error);
        throw fail(message, maySendHaveHappened(error), record({ transportError: message }), error);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        const message = `answer lost while reading: ${describeError(error)}`;
        const exchange = record({ responseStatus: response.status, transportError: message });
        throw fail(message, true, exchange, error);
      }
      const exchange = record({ responseStatus: response.status, responseBody: maskBody(text) });
      done.push(exchange);
      const raw: RawAnswer = { status: response.status, text, exchange };
      return midtransAttempt(raw, response.status, response.headers, text);
    }

    // A caller that gave up already gets the round trip's own "aborted before sending" (sent: false).
    const { answer } =
      signal?.aborted === true
        ? await attempt(signal)
        : await policy.execute(attempt, {
            ...midtransJudgement(operation, isMidtransTransportError),
            ...(signal === undefined ? {} : { signal }),
          });
    return interpret(answer, done.slice(0, -1), read);
  }

  const path = (orderId: string, action: string) => `/v2/${encodeURIComponent(orderId)}/${action}`;
  return {
    charge: (request, signal) => call("charge", "POST", "/v2/charge", request, signal, readTransaction),
    status: (orderId, signal) =>
      call("status", "GET", path(orderId, "status"), undefined, signal, readTransaction),
    cancel: (orderId, signal) =>
      call("cancel", "POST", path(orderId, "cancel"), undefined, signal, readTransaction),
    settlements: (date, signal) =>
      call(
        "settlements",
        "GET",
        `/v2/settlements?date=${encodeURIComponent(date)}`,
        undefined,
        signal,
        readSettlements,
      ),
  };
}

/**
 * Reads an answer: a JSON object with a `status_code` (a string; a number is tolerated). It is a
 * success when `read` finds the expected body, whatever the HTTP status; otherwise an error
 * answer. Anything else throws MidtransTransportError with `sent: true`: something answered, but
 * what Midtrans did is unknown.
 */
function interpret<T>(
  raw: RawAnswer,
  earlier: MidtransExchange[],
  read: (record: JsonRecord, statusCode: string) => T | undefined,
): MidtransAnswer<T> {
  const { text, exchange } = raw;
  const httpStatus = raw.status;
  const exchanges = [...earlier, exchange];
  try {
    const record = parseRecord(text);
    const code = record.status_code;
    const statusCode = typeof code === "number" ? String(code) : code;
    if (typeof statusCode !== "string" || !/^\d{3}$/.test(statusCode)) {
      throw new MalformedAnswer("answer has no 3-digit status_code");
    }
    const statusMessage = typeof record.status_message === "string" ? record.status_message : "";
    const body = read(record, statusCode);
    if (body !== undefined) {
      return { ok: true, statusCode, statusMessage, httpStatus, body, exchange, exchanges };
    }
    const messages = Array.isArray(record.validation_messages) ? record.validation_messages : [];
    const validationMessages = messages.filter((m): m is string => typeof m === "string");
    return { ok: false, statusCode, statusMessage, httpStatus, validationMessages, exchange, exchanges };
  } catch (error) {
    if (!(error instanceof MalformedAnswer)) throw error;
    const message = `HTTP ${httpStatus}: ${error.message}`;
    throw new MidtransTransportError(message, {
      sent: true,
      exchange: { ...exchange, transportError: message },
      earlier,
      cause: error,
    });
  }
}

function parseRecord(text: string): JsonRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedAnswer("answer is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedAnswer("answer is not a JSON object");
  }
  // Absent is what the typed answers expect for fields Midtrans sends as null.
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null));
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
