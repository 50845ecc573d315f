import {
  type AttemptReading,
  connectionOptions,
  createMasker,
  createProviderClient,
  type HttpExchange,
  jsonObjectOf,
  malformedAnswer,
  type ProviderAnswer,
  type ProviderRetryOptions,
  type RepeatRule,
} from "@paymesh/adapter-kit";
import {
  type AnswerReader,
  answerRecord,
  type ChargeRequest,
  type MidtransTransaction,
  readSettlementPage,
  readTransaction,
  type SettlementPage,
  statusCodeOf,
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
   * Backoff of the retries; which calls are retried is {@link RULES}'. `{ maxAttempts: 1 }` turns
   * retrying off. @default 3 calls, 100 ms first backoff, 2000 ms cap
   */
  retry?: ProviderRetryOptions;
}

/** The operations this client performs, as recorded in exchanges. */
export type MidtransOperation = "charge" | "status" | "cancel" | "settlements";

/** One HTTP round trip for the audit trail (ProviderExchange), account numbers and names masked. */
export type MidtransExchange = HttpExchange<MidtransOperation>;

/** The one table of what each Midtrans call may repeat, and why. */
const RULES: Readonly<Record<MidtransOperation, RepeatRule>> = {
  // order_id is the payment id: Midtrans refuses a repeat with 406 and creates nothing.
  charge: "keyed",
  status: "read",
  // A repeat after a cancel that did happen answers 412, which the provider settles with the
  // status API; nothing is charged either way.
  cancel: "keyed",
  settlements: "read",
};

/**
 * The retry decision's reading of an answer. Midtrans's `status_code` in the body decides,
 * whatever the HTTP status (several errors ride on HTTP 200), so a `"503"` inside an HTTP 200 is
 * retried like a 503; a body that is not Midtrans JSON (a gateway page) falls back on the HTTP
 * status. Any `transaction_id` proves a transaction exists, and 406 that the order_id is taken:
 * either way a repeat would meet what Midtrans already did.
 */
function readAttempt(answer: { status: number; text: string }): AttemptReading {
  const body = jsonObjectOf(answer.text);
  if (body === undefined) return { status: answer.status, acted: false };
  const statusCode = statusCodeOf(body);
  const transactionId = body.transaction_id;
  return {
    status: statusCode === undefined ? answer.status : Number(statusCode),
    acted: (typeof transactionId === "string" && transactionId !== "") || statusCode === "406",
  };
}

/**
 * The shared mask rules already cover every account and name key Midtrans sends (`va_number`,
 * `permata_va_number`, `first_name`, `recipient_name`, …) and redact a `signature_key`.
 */
export const midtransMasker = createMasker();

/**
 * What a call resolves to when Midtrans answered. `statusCode` is the body's `status_code`, which
 * is what counts: Midtrans wraps several errors in HTTP 200, so `httpStatus` is kept only for the
 * record. `exchange` is the final round trip; `exchanges` every one of the call, retried attempts
 * first, for the audit trail.
 */
export type MidtransAnswer<T> = {
  statusCode: string;
  statusMessage: string;
  httpStatus: number;
  exchange: MidtransExchange;
  exchanges: MidtransExchange[];
} & ({ ok: true; body: T } | { ok: false; validationMessages: string[] });

/** The Midtrans Core API calls the VA adapter needs; no usable answer throws the kit's ProviderTransportError. */
export interface MidtransClient {
  /** `POST /v2/charge`. order_id is the idempotency key: Midtrans refuses a second one with 406. */
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<MidtransAnswer<MidtransTransaction>>;
  /** `GET /v2/{order_id}/status` (order_id or transaction_id). */
  status(orderId: string, signal?: AbortSignal): Promise<MidtransAnswer<MidtransTransaction>>;
  /** `POST /v2/{order_id}/cancel`. */
  cancel(orderId: string, signal?: AbortSignal): Promise<MidtransAnswer<MidtransTransaction>>;
  /**
   * One page of the simulator's settlement report for a WIB day, `yyyy-MM-dd` (not a Midtrans
   * API); `cursor` is the previous page's `next_cursor`.
   */
  settlements(
    date: string,
    cursor: string | undefined,
    signal?: AbortSignal,
  ): Promise<MidtransAnswer<SettlementPage>>;
}

/**
 * The client of the Midtrans Core API: Basic auth with the server key, JSON in and out, on the
 * kit's provider client (timeouts, the masked exchange trail, retries by {@link RULES}).
 */
export function createMidtransClient(options: MidtransClientOptions): MidtransClient {
  const client = createProviderClient<MidtransOperation>({
    ...connectionOptions(options),
    provider: "Midtrans",
    adapter: "adapter-va",
    rules: RULES,
    readAttempt,
    masker: midtransMasker,
  });
  const authorization = `Basic ${Buffer.from(`${options.serverKey}:`, "utf8").toString("base64")}`;

  async function call<T>(
    operation: MidtransOperation,
    path: string,
    payload: ChargeRequest | undefined,
    signal: AbortSignal | undefined,
    read: AnswerReader<T>,
  ): Promise<MidtransAnswer<T>> {
    const method = operation === "status" || operation === "settlements" ? "GET" : "POST";
    const headers: Record<string, string> = { Accept: "application/json", Authorization: authorization };
    if (method === "POST") headers["Content-Type"] = "application/json";
    if (operation === "charge" && options.overrideNotificationUrl !== undefined) {
      headers["X-Override-Notification"] = options.overrideNotificationUrl;
    }
    const answer = await client.call({
      operation,
      method,
      path,
      headers: () => headers,
      // A cancel is a POST with an empty body.
      body: method === "POST" ? (payload === undefined ? "" : JSON.stringify(payload)) : undefined,
      signal,
    });
    return interpret(answer, read);
  }

  const path = (orderId: string, action: string) => `/v2/${encodeURIComponent(orderId)}/${action}`;
  return {
    charge: (request, signal) => call("charge", "/v2/charge", request, signal, readTransaction),
    status: (orderId, signal) => call("status", path(orderId, "status"), undefined, signal, readTransaction),
    cancel: (orderId, signal) => call("cancel", path(orderId, "cancel"), undefined, signal, readTransaction),
    settlements: (date, cursor, signal) => {
      const query = new URLSearchParams({ date, ...(cursor === undefined ? {} : { cursor }) });
      return call("settlements", `/v2/settlements?${query}`, undefined, signal, readSettlementPage);
    },
  };
}

/**
 * Reads an answer: a JSON object with a 3-digit `status_code`. It is a success when `read` finds
 * the expected body, whatever the HTTP status; otherwise an error answer. Anything else is the
 * kit's malformed answer (sent, outcome unknown): something answered, but what Midtrans did is
 * not known.
 */
function interpret<T>(answer: ProviderAnswer<MidtransOperation>, read: AnswerReader<T>): MidtransAnswer<T> {
  const record = answerRecord(answer);
  const statusCode = statusCodeOf(record);
  if (statusCode === undefined) {
    throw malformedAnswer(answer, `no 3-digit status_code (HTTP ${answer.status})`);
  }
  const statusMessage = typeof record.status_message === "string" ? record.status_message : "";
  const { exchange, exchanges } = answer;
  const common = { statusCode, statusMessage, httpStatus: answer.status, exchange, exchanges };
  const body = read(record, statusCode, answer);
  if (body !== undefined) return { ...common, ok: true, body };
  const messages = Array.isArray(record.validation_messages) ? record.validation_messages : [];
  const validationMessages = messages.filter((m): m is string => typeof m === "string");
  return { ...common, ok: false, validationMessages };
}
