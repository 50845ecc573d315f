import {
  type AttemptReading,
  connectionOptions,
  createProviderClient,
  type HttpExchange,
  type JsonRecord,
  jsonObjectOf,
  jsonValue,
  malformedAnswer,
  type ProviderAnswer,
  type ProviderConnectionOptions,
  type ProviderHttpAnswer,
  type RepeatRule,
} from "@paymesh/adapter-kit";
import { wiseMasker } from "./wise-mask.ts";
import {
  type Fail,
  quoteBody,
  readBalance,
  readErrors,
  readFunding,
  readList,
  readQuote,
  readRecipient,
  readStatement,
  readTransfer,
  recipientBody,
  transferBody,
  type WiseBalance,
  type WiseErrorItem,
  type WiseFunding,
  type WiseQuote,
  type WiseRecipient,
  type WiseTransfer,
} from "./wise-wire.ts";

/** The Wise operations the remittance adapter performs, as recorded in exchanges. */
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
export type WiseExchange = HttpExchange<WiseOperation>;

/**
 * The one table of what each Wise call may repeat, and why. `keyed` calls are repeated after a
 * 429/5xx unless the answer shows Wise acted ({@link readWiseAttempt}), and after a lost answer only
 * when the request provably never left: a lost answer after sending is the router's to resolve
 * (OUTCOME_UNKNOWN; a repeated CreatePayment resumes), never repeated blind here.
 */
const RULES: Readonly<Record<WiseOperation, RepeatRule>> = {
  // A second quote moves no money; the lost one simply expires.
  createQuote: "keyed",
  getQuote: "read",
  // A second recipient account moves no money (the simulator de-duplicates; Wise may not).
  createRecipient: "keyed",
  // customerTransactionId is Wise's idempotency key: the same value answers the same transfer.
  createTransfer: "keyed",
  // Wise refuses to fund a transfer twice (transfer.already.funded), which the adapter reads as done.
  fundTransfer: "keyed",
  getTransfer: "read",
  listTransfers: "read",
  // Cancelling a cancelled transfer answers it again (*unconfirmed*; the simulator's choice).
  cancelTransfer: "keyed",
  listBalances: "read",
  balanceStatement: "read",
};

/**
 * Reads an answer for the retry decision. Wise's errors carry their own HTTP status. A body with an
 * `id` (any transfer, quote or recipient) or a funding result (`type` + `status`) proves the request
 * was carried out, whatever status it came with: repeating it would only meet it again.
 */
function readWiseAttempt(answer: ProviderHttpAnswer<WiseOperation>): AttemptReading {
  // Not JSON (a gateway page): nothing in it proves anything.
  const value = jsonObjectOf(answer.text);
  if (value === undefined) return { status: answer.status, acted: false };
  const { id } = value;
  const funding = typeof value.status === "string" && "type" in value;
  return {
    status: answer.status,
    acted: typeof id === "number" || (typeof id === "string" && id !== "") || funding,
  };
}

/**
 * Where Wise is and who we are there. Timeout, retry backoff (`{ maxAttempts: 1 }` turns retrying
 * off; which calls are retried is RULES'), fetch and clock are the kit's, with its defaults.
 */
export interface WiseClientOptions extends ProviderConnectionOptions {
  /** e.g. `https://api.sandbox.transferwise.tech` or the simulator's URL. */
  baseUrl: string;
  /** Personal or business API token, sent as `Authorization: Bearer`. */
  apiToken: string;
  /** The Wise profile that owns quotes, recipients and transfers (a number, as text). */
  profileId: string;
}

/**
 * What every call resolves to: Wise answered, with success (`body`) or with HTTP error `status`
 * and its error list. No usable answer throws the kit's ProviderTransportError. `exchange` is the
 * final round trip; `exchanges` every one of the call, retried attempts first.
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
  }): Promise<WiseAnswer<JsonRecord[]>>;
}

/**
 * Creates the client for Wise's API: a bearer token, JSON bodies, every exchange masked, and the
 * kit's provider client running {@link RULES}. It interprets nothing: mapping answers to payments
 * is the provider's job.
 */
export function createWiseClient(options: WiseClientOptions): WiseClient {
  const client = createProviderClient<WiseOperation>({
    ...connectionOptions(options),
    provider: "Wise",
    adapter: "adapter-remittance",
    rules: RULES,
    readAttempt: readWiseAttempt,
    masker: wiseMasker,
  });
  const profile = encodeURIComponent(options.profileId);
  const id = (value: string) => encodeURIComponent(value);
  const authorization = `Bearer ${options.apiToken}`;

  async function call<T>(
    operation: WiseOperation,
    method: "GET" | "POST" | "PUT",
    path: string,
    payload: JsonRecord | undefined,
    signal: AbortSignal | undefined,
    read: (value: unknown, fail: Fail) => T,
  ): Promise<WiseAnswer<T>> {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const headers = () => ({
      Authorization: authorization,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    });
    const answer = await client.call({ operation, method, path, headers, body, signal });
    return readAnswer(answer, read);
  }

  return {
    createQuote: (input) =>
      call(
        "createQuote",
        "POST",
        `/v3/profiles/${profile}/quotes`,
        quoteBody(input),
        input.signal,
        readQuote,
      ),
    getQuote: (quoteId, signal) =>
      call("getQuote", "GET", `/v3/profiles/${profile}/quotes/${id(quoteId)}`, undefined, signal, readQuote),
    createRecipient: (input) =>
      call(
        "createRecipient",
        "POST",
        "/v1/accounts",
        recipientBody(options.profileId, input),
        input.signal,
        readRecipient,
      ),
    createTransfer: (input) =>
      call("createTransfer", "POST", "/v1/transfers", transferBody(input), input.signal, readTransfer),
    fundTransfer: (transferId, signal) =>
      call(
        "fundTransfer",
        "POST",
        `/v3/profiles/${profile}/transfers/${id(transferId)}/payments`,
        { type: "BALANCE" },
        signal,
        readFunding,
      ),
    getTransfer: (transferId, signal) =>
      call("getTransfer", "GET", `/v1/transfers/${id(transferId)}`, undefined, signal, readTransfer),
    listTransfers: (input) =>
      call(
        "listTransfers",
        "GET",
        `/v1/transfers?profile=${profile}&offset=${input.offset}&limit=${input.limit}`,
        undefined,
        input.signal,
        readList(readTransfer),
      ),
    cancelTransfer: (transferId, signal) =>
      call(
        "cancelTransfer",
        "PUT",
        `/v1/transfers/${id(transferId)}/cancel`,
        undefined,
        signal,
        readTransfer,
      ),
    listBalances: (signal) =>
      call(
        "listBalances",
        "GET",
        `/v4/profiles/${profile}/balances?types=STANDARD`,
        undefined,
        signal,
        readList(readBalance),
      ),
    balanceStatement(input) {
      const query = new URLSearchParams({
        currency: input.currency,
        intervalStart: input.intervalStart,
        intervalEnd: input.intervalEnd,
        type: "COMPACT",
      });
      const path = `/v1/profiles/${profile}/balance-statements/${id(input.balanceId)}/statement.json?${query}`;
      return call("balanceStatement", "GET", path, undefined, input.signal, readStatement);
    },
  };
}

/**
 * Reads an answer with numbers as exact text. A 2xx must be JSON of the expected shape, else the
 * outcome is unknown: the kit's malformedAnswer (sent, so never a guessed success). Any other
 * status is Wise's refusal or failure, returned with whatever error list it carried.
 */
function readAnswer<T>(
  answer: ProviderAnswer<WiseOperation>,
  read: (value: unknown, fail: Fail) => T,
): WiseAnswer<T> {
  const { status, exchange, exchanges } = answer;
  if (status < 200 || status >= 300) {
    const errors = readErrors(jsonObjectOf(answer.text, { exact: true }));
    return { ok: false, status, errors, exchange, exchanges };
  }
  const fail: Fail = (why) => {
    throw malformedAnswer(answer, `${why} (HTTP ${status})`);
  };
  return { ok: true, status, body: read(jsonValue(answer, { exact: true }), fail), exchange, exchanges };
}
