import {
  createProviderHttp,
  type HttpExchange,
  type ProviderHttpAnswer,
  ProviderTransportError,
} from "@paymesh/adapter-kit";
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
export type MidtransExchange = HttpExchange<MidtransOperation>;

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
export class MidtransTransportError extends ProviderTransportError<MidtransExchange> {
  override readonly name = "MidtransTransportError";
  /** Marker for {@link isMidtransTransportError}, which survives duplicated module copies. */
  readonly midtransTransportError = true;
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

type JsonRecord = Record<string, unknown>;

/** One HTTP round trip's raw result. */
type RawAnswer = ProviderHttpAnswer<MidtransOperation>;

/**
 * Creates the HTTP client for the Midtrans Core API: Basic auth with the server key, JSON in and
 * out, every round trip recorded with account numbers and names masked. Each call runs under one
 * HTTP retry policy: 429 and 5xx are retried with backoff honouring Retry-After, except where the
 * answer shows Midtrans acted; a lost answer is retried only for reads (midtrans-retry.ts).
 */
export function createMidtransClient(options: MidtransClientOptions): MidtransClient {
  const http = createProviderHttp<MidtransOperation>({
    baseUrl: options.baseUrl,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    maskBody,
    transportError: (message, init) => new MidtransTransportError(message, init),
  });
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
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const headers: Record<string, string> = { Accept: "application/json", Authorization: authorization };
    if (method === "POST") headers["Content-Type"] = "application/json";
    if (operation === "charge" && options.overrideNotificationUrl !== undefined) {
      headers["X-Override-Notification"] = options.overrideNotificationUrl;
    }
    const done: MidtransExchange[] = [];

    /** One round trip; throws MidtransTransportError (carrying the earlier attempts) when no answer arrives. */
    async function attempt(attemptSignal: AbortSignal | undefined) {
      try {
        const raw = await http.send({
          operation,
          method,
          path,
          headers,
          body: method === "POST" ? body : undefined,
          signal: attemptSignal,
          earlier: [...done],
        });
        done.push(raw.exchange);
        return midtransAttempt(raw, raw.status, raw.headers, raw.text);
      } catch (error) {
        if (isMidtransTransportError(error)) done.push(error.exchange);
        throw error;
      }
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
