import { createHttpRetryPolicy } from "@paymesh/resilience";
import {
  createWiseHttp,
  isWiseTransportError,
  type WiseExchange,
  type WiseHttpAnswer,
  type WiseOperation,
  WiseTransportError,
} from "./wise-http.ts";
import { isRecord, type JsonRecord, parseWiseJson, wiseNumber } from "./wise-json.ts";
import {
  MalformedAnswer,
  readBalance,
  readErrors,
  readFunding,
  readList,
  readQuote,
  readRecipient,
  readStatement,
  readTransfer,
} from "./wise-readers.ts";
import { type WiseRetryOptions, wiseAttempt, wiseJudgement } from "./wise-retry.ts";
import type {
  WiseBalance,
  WiseErrorItem,
  WiseFunding,
  WiseQuote,
  WiseRecipient,
  WiseStatementTransaction,
  WiseTransfer,
} from "./wise-types.ts";

/** Where Wise is and who we are there. */
export interface WiseClientOptions {
  /** e.g. `https://api.sandbox.transferwise.tech` or the simulator's URL. */
  baseUrl: string;
  /** Personal or business API token, sent as `Authorization: Bearer`. */
  apiToken: string;
  /** The Wise profile that owns quotes, recipients and transfers (a number, as text). */
  profileId: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default () => new Date() */
  clock?: () => Date;
  /** Per HTTP request. @default 10000 */
  timeoutMs?: number;
  /**
   * Backoff of the retries after 429/5xx (Retry-After honoured) and lost reads; which calls are
   * retried is fixed in wise-retry.ts. `{ maxAttempts: 1 }` turns retrying off.
   * @default 3 calls, 100 ms first backoff, 2000 ms cap
   */
  retry?: WiseRetryOptions;
}

/**
 * What every call resolves to: Wise answered, with success (`body`) or with HTTP error `status`
 * and its error list. A request that got no usable answer throws {@link WiseTransportError}.
 * `exchange` is the final round trip; `exchanges` every one of the call, retried attempts first.
 */
export type WiseAnswer<T> =
  | { ok: true; status: number; body: T; exchange: WiseExchange; exchanges: WiseExchange[] }
  | { ok: false; status: number; errors: WiseErrorItem[]; exchange: WiseExchange; exchanges: WiseExchange[] };

/** The Wise operations the remittance adapter needs. Amounts are decimal text at the currency's exponent. */
export interface WiseClient {
  createQuote(input: {
    sourceCurrency: string;
    targetCurrency: string;
    sourceAmount?: string;
    targetAmount?: string;
    signal?: AbortSignal;
  }): Promise<WiseAnswer<WiseQuote>>;
  getQuote(quoteId: string, signal?: AbortSignal): Promise<WiseAnswer<WiseQuote>>;
  createRecipient(input: {
    currency: string;
    type: string;
    accountHolderName: string;
    details: Readonly<Record<string, string>>;
    signal?: AbortSignal;
  }): Promise<WiseAnswer<WiseRecipient>>;
  /** `customerTransactionId` is Wise's idempotency key: the same value answers the same transfer. */
  createTransfer(input: {
    targetAccount: string;
    quoteUuid: string;
    customerTransactionId: string;
    reference: string;
    signal?: AbortSignal;
  }): Promise<WiseAnswer<WiseTransfer>>;
  fundTransfer(transferId: string, signal?: AbortSignal): Promise<WiseAnswer<WiseFunding>>;
  getTransfer(transferId: string, signal?: AbortSignal): Promise<WiseAnswer<WiseTransfer>>;
  /** The profile's transfers, newest first. */
  listTransfers(input: {
    offset: number;
    limit: number;
    signal?: AbortSignal;
  }): Promise<WiseAnswer<WiseTransfer[]>>;
  cancelTransfer(transferId: string, signal?: AbortSignal): Promise<WiseAnswer<WiseTransfer>>;
  listBalances(signal?: AbortSignal): Promise<WiseAnswer<WiseBalance[]>>;
  balanceStatement(input: {
    balanceId: string;
    currency: string;
    intervalStart: string;
    intervalEnd: string;
    signal?: AbortSignal;
  }): Promise<WiseAnswer<WiseStatementTransaction[]>>;
}

/**
 * Creates the HTTP client for Wise's API (PROVIDERS.md, "Wise"): bearer token, JSON bodies with
 * amounts as bare JSON numbers written from exact decimal text, answers read with numbers kept as
 * text. Each call runs under one HTTP retry policy: 429 and 5xx are retried with backoff honouring
 * Retry-After, except where the answer shows Wise acted; a lost answer is retried only for reads
 * (wise-retry.ts). It interprets nothing: mapping answers to payments is the provider's job.
 */
export function createWiseClient(options: WiseClientOptions): WiseClient {
  const send = createWiseHttp({
    baseUrl: options.baseUrl,
    apiToken: options.apiToken,
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock ?? (() => new Date()),
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  const profile = encodeURIComponent(options.profileId);
  // One policy for the client's life; each call brings its own judgement.
  const policy = createHttpRetryPolicy({ name: "wise", ...options.retry });

  async function call<T>(
    operation: WiseOperation,
    method: "GET" | "POST" | "PUT",
    path: string,
    payload: JsonRecord | undefined,
    signal: AbortSignal | undefined,
    read: (value: unknown) => T,
  ): Promise<WiseAnswer<T>> {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const done: WiseExchange[] = [];
    const attempt = async (attemptSignal: AbortSignal | undefined) => {
      try {
        const answer = await send(operation, method, path, body, attemptSignal, [...done]);
        done.push(answer.exchange);
        return wiseAttempt(answer);
      } catch (error) {
        if (isWiseTransportError(error)) done.push(error.exchange);
        throw error;
      }
    };
    // A caller that gave up already gets the round trip's own "aborted before sending" (sent: false).
    const { answer } =
      signal?.aborted === true
        ? await attempt(signal)
        : await policy.execute(attempt, {
            ...wiseJudgement(operation, isWiseTransportError),
            ...(signal === undefined ? {} : { signal }),
          });
    return interpret(answer, done.slice(0, -1), read);
  }

  const asRecord =
    <T>(read: (record: JsonRecord) => T) =>
    (value: unknown) => {
      if (!isRecord(value)) throw new MalformedAnswer("answer is not a JSON object");
      return read(value);
    };
  const id = (value: string) => encodeURIComponent(value);

  return {
    createQuote(input) {
      const payload: JsonRecord = {
        sourceCurrency: input.sourceCurrency,
        targetCurrency: input.targetCurrency,
        ...(input.sourceAmount === undefined ? {} : { sourceAmount: wiseNumber(input.sourceAmount) }),
        ...(input.targetAmount === undefined ? {} : { targetAmount: wiseNumber(input.targetAmount) }),
        payOut: "BANK_TRANSFER",
        preferredPayIn: "BALANCE",
      };
      return call(
        "createQuote",
        "POST",
        `/v3/profiles/${profile}/quotes`,
        payload,
        input.signal,
        asRecord(readQuote),
      );
    },
    getQuote: (quoteId, signal) =>
      call(
        "getQuote",
        "GET",
        `/v3/profiles/${profile}/quotes/${id(quoteId)}`,
        undefined,
        signal,
        asRecord(readQuote),
      ),
    createRecipient(input) {
      const payload: JsonRecord = {
        currency: input.currency,
        type: input.type,
        profile: wiseNumber(options.profileId),
        accountHolderName: input.accountHolderName,
        ownedByCustomer: false,
        details: { ...input.details },
      };
      return call("createRecipient", "POST", "/v1/accounts", payload, input.signal, asRecord(readRecipient));
    },
    createTransfer(input) {
      const payload: JsonRecord = {
        targetAccount: wiseNumber(input.targetAccount),
        quoteUuid: input.quoteUuid,
        customerTransactionId: input.customerTransactionId,
        details: { reference: input.reference },
      };
      return call("createTransfer", "POST", "/v1/transfers", payload, input.signal, asRecord(readTransfer));
    },
    fundTransfer: (transferId, signal) =>
      call(
        "fundTransfer",
        "POST",
        `/v3/profiles/${profile}/transfers/${id(transferId)}/payments`,
        { type: "BALANCE" },
        signal,
        asRecord(readFunding),
      ),
    getTransfer: (transferId, signal) =>
      call(
        "getTransfer",
        "GET",
        `/v1/transfers/${id(transferId)}`,
        undefined,
        signal,
        asRecord(readTransfer),
      ),
    listTransfers: (input) =>
      call(
        "listTransfers",
        "GET",
        `/v1/transfers?profile=${profile}&offset=${input.offset}&limit=${input.limit}`,
        undefined,
        input.signal,
        (value) => readList(value, readTransfer),
      ),
    cancelTransfer: (transferId, signal) =>
      call(
        "cancelTransfer",
        "PUT",
        `/v1/transfers/${id(transferId)}/cancel`,
        undefined,
        signal,
        asRecord(readTransfer),
      ),
    listBalances: (signal) =>
      call(
        "listBalances",
        "GET",
        `/v4/profiles/${profile}/balances?types=STANDARD`,
        undefined,
        signal,
        (value) => readList(value, readBalance),
      ),
    balanceStatement(input) {
      const query = new URLSearchParams({
        currency: input.currency,
        intervalStart: input.intervalStart,
        intervalEnd: input.intervalEnd,
        type: "COMPACT",
      });
      const path = `/v1/profiles/${profile}/balance-statements/${id(input.balanceId)}/statement.json?${query}`;
      return call("balanceStatement", "GET", path, undefined, input.signal, asRecord(readStatement));
    },
  };
}

/**
 * Reads an answer. A 2xx must be JSON of the expected shape, else the outcome is unknown and it
 * throws WiseTransportError with `sent: true` (something answered, but what it did is unclear).
 * Any other status is Wise's refusal or failure, returned with whatever error list it carried.
 */
function interpret<T>(
  answer: WiseHttpAnswer,
  earlier: WiseExchange[],
  read: (value: unknown) => T,
): WiseAnswer<T> {
  const { status, exchange } = answer;
  const exchanges = [...earlier, exchange];
  let parsed: unknown;
  try {
    parsed = parseWiseJson(answer.text);
  } catch {
    parsed = undefined;
  }
  if (status < 200 || status >= 300) {
    return { ok: false, status, errors: readErrors(parsed), exchange, exchanges };
  }
  try {
    if (parsed === undefined) throw new MalformedAnswer("answer is not JSON");
    return { ok: true, status, body: read(parsed), exchange, exchanges };
  } catch (error) {
    if (!(error instanceof MalformedAnswer)) throw error;
    const message = `HTTP ${status}: ${error.message}`;
    throw new WiseTransportError(message, {
      sent: true,
      exchange: { ...exchange, transportError: message },
      earlier,
      cause: error,
    });
  }
}
