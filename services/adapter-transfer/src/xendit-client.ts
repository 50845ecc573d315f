import { createHttpRetryPolicy } from "@paymesh/resilience";
import {
  createXenditHttp,
  isXenditTransportError,
  type RawAnswer,
  type XenditExchange,
  type XenditOperation,
  XenditTransportError,
} from "./xendit-http.ts";
import { type XenditRetryOptions, xenditAttempt, xenditJudgement } from "./xendit-retry.ts";
import {
  type Disbursement,
  type JsonRecord,
  MalformedAnswer,
  parseDisbursement,
  parseTransactionsPage,
  type TransactionsPage,
} from "./xendit-shapes.ts";

/** Connection details and credentials for one Xendit account. */
export interface XenditClientOptions {
  /** Scheme and host, e.g. `https://api.xendit.co` or a simulator's URL; no trailing slash needed. */
  baseUrl: string;
  /** The secret API key: the Basic-auth username (PROVIDERS.md, "Auth"). */
  secretKey: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default () => new Date() */
  clock?: () => Date;
  /** Per HTTP request. @default 10000 */
  timeoutMs?: number;
  /**
   * Backoff of the retries after 429/5xx (Retry-After honoured) and lost reads; which calls are
   * retried is fixed in xendit-retry.ts. `{ maxAttempts: 1 }` turns retrying off.
   * @default 3 calls, 100 ms first backoff, 2000 ms cap
   */
  retry?: XenditRetryOptions;
}

/**
 * What every call resolves to when Xendit answered: success with a parsed body, or its
 * `{"error_code","message"}`. Transport failures throw XenditTransportError instead. `exchange` is
 * the final round trip; `exchanges` every one of the call, retried attempts first.
 */
export type XenditAnswer<T> =
  | { ok: true; httpStatus: number; body: T; exchange: XenditExchange; exchanges: XenditExchange[] }
  | {
      ok: false;
      httpStatus: number;
      errorCode: string;
      message: string;
      exchange: XenditExchange;
      exchanges: XenditExchange[];
    };

/** The Xendit Disbursements operations the transfer adapter needs. */
export interface XenditDisbursementClient {
  /** `POST /disbursements`. The idempotency key makes a retry safe: Xendit never pays twice for one key. */
  createDisbursement(input: {
    idempotencyKey: string;
    externalId: string;
    /** Whole rupiah. */
    amount: bigint;
    bankCode: string;
    accountHolderName: string;
    accountNumber: string;
    description: string;
    signal?: AbortSignal;
  }): Promise<XenditAnswer<Disbursement>>;
  /** `GET /disbursements/{id}`. */
  getDisbursement(input: { id: string; signal?: AbortSignal }): Promise<XenditAnswer<Disbursement>>;
  /** `GET /disbursements?external_id=…`: every disbursement with that external_id. */
  findDisbursements(input: {
    externalId: string;
    signal?: AbortSignal;
  }): Promise<XenditAnswer<Disbursement[]>>;
  /** `GET /transactions` for disbursements updated within [from, to] (the settlement report). */
  listTransactions(input: {
    from: Date;
    to: Date;
    statuses?: readonly string[];
    afterId?: string;
    limit?: number;
    signal?: AbortSignal;
  }): Promise<XenditAnswer<TransactionsPage>>;
}

/**
 * Creates the HTTP client for Xendit Disbursements (PROVIDERS.md): HTTP Basic with the secret key
 * and an empty password, JSON bodies, `X-IDEMPOTENCY-KEY` on creation. Each call runs under one
 * HTTP retry policy: 429 and 5xx are retried with backoff honouring Retry-After, with the same key,
 * except where the answer shows Xendit acted; a lost answer is retried only for reads
 * (xendit-retry.ts). What a final failure means is the provider's to decide.
 */
export function createXenditClient(options: XenditClientOptions): XenditDisbursementClient {
  const http = createXenditHttp({
    baseUrl: options.baseUrl,
    clock: options.clock ?? (() => new Date()),
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  const authorization = `Basic ${Buffer.from(`${options.secretKey}:`).toString("base64")}`;
  // One policy for the client's life; each call brings its own judgement.
  const policy = createHttpRetryPolicy({ name: "xendit", ...options.retry });

  async function call<T>(
    operation: XenditOperation,
    method: "GET" | "POST",
    path: string,
    payload: JsonRecord | undefined,
    extraHeaders: Record<string, string>,
    signal: AbortSignal | undefined,
    parse: (value: unknown) => T,
  ): Promise<XenditAnswer<T>> {
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const headers: Record<string, string> = { authorization, accept: "application/json", ...extraHeaders };
    if (method === "POST") headers["content-type"] = "application/json";
    const done: XenditExchange[] = [];
    const attempt = async (attemptSignal: AbortSignal | undefined) => {
      const request = { operation, method, path, headers, body: method === "POST" ? body : undefined };
      try {
        const answer = await http.send({ ...request, signal: attemptSignal, earlier: [...done] });
        done.push(answer.exchange);
        return xenditAttempt(answer);
      } catch (error) {
        if (isXenditTransportError(error)) done.push(error.exchange);
        throw error;
      }
    };
    // A caller that gave up already gets the round trip's own "aborted before sending" (sent: false).
    const { answer } =
      signal?.aborted === true
        ? await attempt(signal)
        : await policy.execute(attempt, {
            ...xenditJudgement(operation, isXenditTransportError),
            ...(signal === undefined ? {} : { signal }),
          });
    return interpret(answer, done.slice(0, -1), parse);
  }

  return {
    createDisbursement(input) {
      const amount = Number(input.amount);
      if (!Number.isSafeInteger(amount)) throw new RangeError("amount does not fit a JSON number exactly");
      const payload = {
        external_id: input.externalId,
        amount,
        bank_code: input.bankCode,
        account_holder_name: input.accountHolderName,
        account_number: input.accountNumber,
        description: input.description,
      };
      const headers = { "x-idempotency-key": input.idempotencyKey };
      return call(
        "createDisbursement",
        "POST",
        "/disbursements",
        payload,
        headers,
        input.signal,
        parseDisbursement,
      );
    },
    getDisbursement(input) {
      const path = `/disbursements/${encodeURIComponent(input.id)}`;
      return call("getDisbursement", "GET", path, undefined, {}, input.signal, parseDisbursement);
    },
    findDisbursements(input) {
      const path = `/disbursements?external_id=${encodeURIComponent(input.externalId)}`;
      return call("findDisbursements", "GET", path, undefined, {}, input.signal, (value) => {
        if (!Array.isArray(value)) throw new MalformedAnswer("answer is not a JSON array");
        return value.map(parseDisbursement);
      });
    },
    listTransactions(input) {
      const query = new URLSearchParams({
        types: "DISBURSEMENT",
        "updated[gte]": input.from.toISOString(),
        "updated[lte]": input.to.toISOString(),
        limit: String(input.limit ?? 50),
      });
      if (input.statuses !== undefined) query.set("statuses", input.statuses.join(","));
      if (input.afterId !== undefined) query.set("after_id", input.afterId);
      const path = `/transactions?${query.toString()}`;
      return call("listTransactions", "GET", path, undefined, {}, input.signal, parseTransactionsPage);
    },
  };
}

/**
 * Reads an answer: 2xx with a body of the expected shape, or an error body with `error_code`.
 * Anything else (an HTML gateway page, a truncated body) throws XenditTransportError with
 * `sent: true`: something answered, but what Xendit did is unknown.
 */
function interpret<T>(
  answer: RawAnswer,
  earlier: XenditExchange[],
  parse: (value: unknown) => T,
): XenditAnswer<T> {
  const { exchange, status } = answer;
  const exchanges = [...earlier, exchange];
  try {
    let value: unknown;
    try {
      value = JSON.parse(answer.text);
    } catch {
      throw new MalformedAnswer("answer is not JSON");
    }
    if (status >= 200 && status < 300) {
      return { ok: true, httpStatus: status, body: parse(value), exchange, exchanges };
    }
    const record = typeof value === "object" && value !== null ? (value as JsonRecord) : {};
    if (typeof record.error_code !== "string") throw new MalformedAnswer("error answer lacks error_code");
    const message = typeof record.message === "string" ? record.message : "";
    return { ok: false, httpStatus: status, errorCode: record.error_code, message, exchange, exchanges };
  } catch (error) {
    if (!(error instanceof MalformedAnswer)) throw error;
    const message = `HTTP ${status}: ${error.message}`;
    throw new XenditTransportError(message, {
      sent: true,
      exchange: { ...exchange, transportError: message },
      earlier,
      cause: error,
    });
  }
}
