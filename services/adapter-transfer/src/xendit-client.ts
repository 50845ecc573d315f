import {
  type AttemptReading,
  connectionOptions,
  createMasker,
  createProviderClient,
  type HttpExchange,
  jsonObjectOf,
  jsonValue,
  malformedAnswer,
  type ProviderAnswer,
  type ProviderConnectionOptions,
} from "@paymesh/adapter-kit";
import {
  type Disbursement,
  disbursementRequest,
  type Fail,
  type PayoutInstruction,
  readDisbursement,
  readDisbursementList,
  readError,
  readTransactionsPage,
  type TransactionsPage,
} from "./xendit-wire.ts";

/** The operations the Xendit client performs, as recorded in exchanges. */
export type XenditOperation =
  | "createDisbursement"
  | "getDisbursement"
  | "findDisbursements"
  | "listTransactions";

/** One recorded round trip with Xendit, bodies masked (maps onto ProviderExchange). */
export type XenditExchange = HttpExchange<XenditOperation>;

/**
 * The one table of what each Xendit call may repeat (the kit's rules), and why. Creation is keyed
 * by X-IDEMPOTENCY-KEY: Xendit documents SERVER_ERROR as safe to retry with the same key, and a
 * 429 created nothing. A lost answer after sending is not repeated: the first request may still
 * be in flight at Xendit, and how Xendit answers a key that is in flight is undocumented, so the
 * provider looks the payout up by external_id instead. Reads change nothing.
 */
const RULES = {
  createDisbursement: "keyed",
  getDisbursement: "read",
  findDisbursements: "read",
  listTransactions: "read",
} as const;

/**
 * What proves Xendit acted, whatever the status: a body naming a disbursement `id`, or
 * DUPLICATE_TRANSACTION_ERROR (the key was used before). Repeating would only meet it again.
 */
function readAttempt(answer: { status: number; text: string }): AttemptReading {
  // Not JSON (a gateway page): nothing in it proves anything.
  const value = jsonObjectOf(answer.text);
  const acted =
    value !== undefined &&
    ((typeof value.id === "string" && value.id !== "") ||
      readError(value)?.errorCode === "DUPLICATE_TRANSACTION_ERROR");
  return { status: answer.status, acted };
}

/**
 * How every recorded Xendit body is masked: Xendit names account numbers and holders with keys the
 * shared rules already hold (`account_number`, `account_holder_name`), at any depth of the JSON, and
 * in a body cut off mid-way by key too.
 */
export const xenditMasker = createMasker();

/**
 * Connection details and credentials for one Xendit account. Timeout, retry backoff (Retry-After
 * honoured; `{ maxAttempts: 1 }` turns retrying off), fetch and clock are the kit's, with its defaults.
 */
export interface XenditClientOptions extends ProviderConnectionOptions {
  /** Scheme and host, e.g. `https://api.xendit.co` or a simulator's URL; no trailing slash needed. */
  baseUrl: string;
  /** The secret API key: the Basic-auth username, with an empty password. */
  secretKey: string;
}

/**
 * What every call resolves to when Xendit answered: success with a read body, or its
 * `{"error_code","message"}`. No usable answer throws the kit's ProviderTransportError instead.
 * `exchange` is the final round trip; `exchanges` every one of the call, retried attempts first.
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
  createDisbursement(
    input: PayoutInstruction & { signal?: AbortSignal },
  ): Promise<XenditAnswer<Disbursement>>;
  /** `GET /disbursements/{id}`. */
  getDisbursement(input: { id: string; signal?: AbortSignal }): Promise<XenditAnswer<Disbursement>>;
  /** `GET /disbursements?external_id=…`: every disbursement with that external_id. */
  findDisbursements(input: {
    externalId: string;
    signal?: AbortSignal;
  }): Promise<XenditAnswer<Disbursement[]>>;
  /** `GET /transactions` for disbursements and refunds updated within [from, to] (the settlement report). */
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
 * Creates the HTTP client for Xendit Disbursements on the kit's provider client: HTTP Basic with
 * the secret key and an empty password, JSON bodies, `X-IDEMPOTENCY-KEY` on creation, retries as
 * RULES says, every body masked before it is recorded. What a final failure means is the
 * provider's to decide.
 */
export function createXenditClient(options: XenditClientOptions): XenditDisbursementClient {
  const client = createProviderClient<XenditOperation>({
    ...connectionOptions(options),
    provider: "Xendit",
    adapter: "adapter-transfer",
    rules: RULES,
    readAttempt,
    masker: xenditMasker,
  });
  const authorization = `Basic ${Buffer.from(`${options.secretKey}:`).toString("base64")}`;

  async function get<T>(
    operation: XenditOperation,
    path: string,
    signal: AbortSignal | undefined,
    read: (value: unknown, fail: Fail) => T,
  ): Promise<XenditAnswer<T>> {
    const headers = () => ({ authorization, accept: "application/json" });
    return interpret(await client.call({ operation, method: "GET", path, headers, signal }), read);
  }

  return {
    async createDisbursement(input) {
      const headers = () => ({
        authorization,
        accept: "application/json",
        "content-type": "application/json",
        "x-idempotency-key": input.idempotencyKey,
      });
      const body = disbursementRequest(input);
      const request = { operation: "createDisbursement", method: "POST", path: "/disbursements" } as const;
      return interpret(
        await client.call({ ...request, headers, body, signal: input.signal }),
        readDisbursement,
      );
    },
    getDisbursement(input) {
      const path = `/disbursements/${encodeURIComponent(input.id)}`;
      return get("getDisbursement", path, input.signal, readDisbursement);
    },
    findDisbursements(input) {
      const path = `/disbursements?external_id=${encodeURIComponent(input.externalId)}`;
      return get("findDisbursements", path, input.signal, readDisbursementList);
    },
    listTransactions(input) {
      const query = new URLSearchParams({
        types: "DISBURSEMENT,REFUND",
        "updated[gte]": input.from.toISOString(),
        "updated[lte]": input.to.toISOString(),
        limit: String(input.limit ?? 50),
      });
      if (input.statuses !== undefined) query.set("statuses", input.statuses.join(","));
      if (input.afterId !== undefined) query.set("after_id", input.afterId);
      return get("listTransactions", `/transactions?${query.toString()}`, input.signal, readTransactionsPage);
    },
  };
}

/**
 * Reads an answer: 2xx with a body of the expected shape, or an error body with `error_code`.
 * Anything else (an HTML gateway page, a truncated body) is the kit's malformed answer: something
 * answered, but what Xendit did is unknown.
 */
function interpret<T>(
  answer: ProviderAnswer<XenditOperation>,
  read: (value: unknown, fail: Fail) => T,
): XenditAnswer<T> {
  const { status, exchange, exchanges } = answer;
  const fail: Fail = (why) => {
    throw malformedAnswer(answer, `${why} (HTTP ${status})`);
  };
  const value = jsonValue(answer);
  if (status >= 200 && status < 300)
    return { ok: true, httpStatus: status, body: read(value, fail), exchange, exchanges };
  const error = readError(value) ?? fail("error answer lacks error_code");
  return { ok: false, httpStatus: status, ...error, exchange, exchanges };
}
