import { randomBytes } from "node:crypto";
import {
  createProviderHttp,
  type HttpExchange,
  type ProviderHttpAnswer,
  ProviderTransportError,
} from "@paymesh/adapter-kit";
import { createHttpRetryPolicy } from "@paymesh/resilience";
import {
  formatSnapAmount,
  type KeyLike,
  type SnapAmount,
  SnapHeader,
  SnapServiceCode,
  signAccessToken,
  snapTimestamp,
  symmetricSignature,
} from "@paymesh/snap";
import { type SnapRetryOptions, snapAttempt, snapJudgement } from "./snap-retry.ts";

/** Connection details and credentials for one SNAP QR MPM partner account. */
export interface SnapQrClientOptions {
  /** Scheme, host and any path prefix, e.g. `https://bank.example/snap`; no trailing slash needed. */
  baseUrl: string;
  /** `X-CLIENT-KEY` of the access-token request. */
  clientId: string;
  /** HMAC key of transaction signatures. */
  clientSecret: string;
  /** Signs access-token requests (RSA-SHA256). */
  partnerPrivateKey: KeyLike;
  /** `X-PARTNER-ID`. */
  partnerId: string;
  /** `CHANNEL-ID`, 5 digits. */
  channelId: string;
  /** `merchantId` of every QR request. */
  merchantId: string;
  /** `terminalId` when a QR request names no terminal label. */
  terminalId?: string;
  /** @default () => new Date() */
  clock?: () => Date;
  /**
   * X-EXTERNAL-ID of each request; unique per day. @default 29 random decimal digits (the SNAP
   * text calls it a numeric string; unconfirmed whether every bank insists)
   */
  newExternalId?: () => string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per HTTP request, token fetch included. @default 10000 */
  timeoutMs?: number;
  /**
   * Backoff of the retries after 429/5xx (Retry-After honoured) and lost reads, token fetch
   * included; which calls are retried is fixed in snap-retry.ts. `{ maxAttempts: 1 }` turns
   * retrying off. @default 3 calls, 100 ms first backoff, 2000 ms cap
   */
  retry?: SnapRetryOptions;
}

/** The operations this client performs, as recorded in exchanges. */
export type SnapOperation = "accessToken" | "generateQr" | "queryQr" | "cancelQr" | "listSettlements";

/**
 * One HTTP round trip, for the payment's audit trail (maps onto the ProviderExchange message).
 * `requestBody` is exactly the bytes sent (and signed): SNAP bodies carry nothing to mask.
 */
export type SnapExchange = HttpExchange<SnapOperation>;

/** `additionalInfo` objects are open-ended; the fields Paymesh reads are typed. */
export interface SnapAdditionalInfo {
  validityPeriod?: string;
  qrContent?: string;
  paidTime?: string;
  [field: string]: unknown;
}

/** A successful `qr-mpm-generate` answer. */
export interface GenerateQrAnswer {
  responseCode: string;
  responseMessage: string;
  referenceNo: string;
  partnerReferenceNo: string;
  /** The QRIS payload to show the customer. */
  qrContent: string;
  merchantName?: string;
  storeId?: string;
  terminalId?: string;
  additionalInfo?: SnapAdditionalInfo;
}

/** A successful `qr-mpm-query` answer. */
export interface QueryQrAnswer {
  responseCode: string;
  responseMessage: string;
  originalReferenceNo: string;
  originalPartnerReferenceNo: string;
  /** `00` success, `01` initiated, `02` paying, `03` pending, `04` refunded, `05` cancelled, `06` failed. */
  latestTransactionStatus: string;
  transactionStatusDesc?: string;
  serviceCode?: string;
  paidTime?: string;
  amount?: SnapAmount;
  additionalInfo?: SnapAdditionalInfo;
}

/** A successful `qr-mpm-cancel` answer. */
export interface CancelQrAnswer {
  responseCode: string;
  responseMessage: string;
  originalReferenceNo: string;
  originalPartnerReferenceNo: string;
  cancelTime?: string;
  transactionDate?: string;
  latestTransactionStatus?: string;
  transactionStatusDesc?: string;
}

/** One record of the simulator's settlement report (not a SNAP API; see sandbox/README.md). */
export interface SettlementRecord {
  referenceNo: string;
  partnerReferenceNo: string;
  amount: SnapAmount;
  feeAmount?: SnapAmount;
  paidTime?: string;
}

/** A successful settlement report answer. */
export interface SettlementsAnswer {
  responseCode: string;
  responseMessage: string;
  date: string;
  settlements: SettlementRecord[];
}

/**
 * What every call resolves to: the provider answered, with success or with a SNAP error code.
 * `exchange` is the final round trip; `exchanges` all of them in order (token fetches, retried
 * attempts and a request rejected for an expired token included), for the audit trail.
 */
export type SnapAnswer<T> =
  | {
      ok: true;
      responseCode: string;
      responseMessage: string;
      body: T;
      exchange: SnapExchange;
      exchanges: SnapExchange[];
    }
  | {
      ok: false;
      responseCode: string;
      responseMessage: string;
      httpStatus: number;
      exchange: SnapExchange;
      exchanges: SnapExchange[];
    };

/**
 * No usable answer arrived. `sent` says whether the request may have reached the provider: false
 * only when it provably did not (connection refused, DNS failure, aborted before sending, or the
 * token fetch in front of it failed). When true the outcome is unknown and must be resolved by
 * querying, never guessed (DESIGN.md section 4). `exchange` is the failed round trip; `exchanges`
 * every one of the call so far, in order, as in {@link SnapAnswer}.
 */
export class SnapTransportError extends ProviderTransportError<SnapExchange> {
  override readonly name = "SnapTransportError";
  /** Marker for {@link isSnapTransportError}, which survives duplicated module copies. */
  readonly snapTransportError = true;
}

/** True for a {@link SnapTransportError}, by marker property rather than `instanceof`. */
export function isSnapTransportError(error: unknown): error is SnapTransportError {
  return (
    typeof error === "object" &&
    error !== null &&
    "snapTransportError" in error &&
    error.snapTransportError === true
  );
}

/** The SNAP QR MPM operations the QRIS adapter needs. */
export interface SnapQrClient {
  /** Creates a dynamic QR. `partnerReferenceNo` is the idempotency key: the bank refuses a second one (409xx01). */
  generateQr(input: {
    partnerReferenceNo: string;
    amountMinorUnits: bigint;
    validityPeriod?: Date;
    /** Sent as `terminalId`; the bank prints it as the QR's terminal label (tag 62.07). */
    terminalLabel?: string;
    signal?: AbortSignal;
  }): Promise<SnapAnswer<GenerateQrAnswer>>;
  /** Asks the bank for a QR's status (what a status resolver polls after an unknown outcome). */
  queryQr(input: {
    partnerReferenceNo: string;
    referenceNo?: string;
    signal?: AbortSignal;
  }): Promise<SnapAnswer<QueryQrAnswer>>;
  /** Withdraws an unpaid QR. */
  cancelQr(input: {
    partnerReferenceNo: string;
    referenceNo?: string;
    reason?: string;
    signal?: AbortSignal;
  }): Promise<SnapAnswer<CancelQrAnswer>>;
  /** The paid QRs of one +07:00 business day (`yyyy-MM-dd`); a simulator-only endpoint. */
  listSettlements(input: { date: string; signal?: AbortSignal }): Promise<SnapAnswer<SettlementsAnswer>>;
}

// A token is used until 60 s before it expires, so it cannot expire between signing and arrival.
const TOKEN_MARGIN_MS = 60_000;

type JsonRecord = Record<string, unknown>;
type FailureAnswer = Extract<SnapAnswer<never>, { ok: false }>;
/** A usable token (with the exchanges that fetched it; none when cached) or the bank's refusal. */
type TokenGrant = { accessToken: string; exchanges: SnapExchange[] } | { failure: FailureAnswer };
/** One HTTP round trip's raw result. */
type RawAnswer = ProviderHttpAnswer<SnapOperation>;
/** Sends one attempt, given its signal and the call's earlier round trips (for a transport error). */
type Send = (signal: AbortSignal | undefined, earlier: SnapExchange[]) => Promise<RawAnswer>;

/** An answer that is not SNAP-shaped; becomes a SnapTransportError, since the outcome is unknown. */
class MalformedAnswer extends Error {}

/**
 * Creates the HTTP client for Bank Indonesia SNAP QR MPM (PROVIDERS.md, "Bank Indonesia SNAP"):
 * B2B access token fetched lazily and cached, every transaction signed with HMAC-SHA512 over the
 * exact minified body it sends. A `401xx01` (invalid token) answer refreshes the token and retries
 * once; that retry is safe because a 401 proves the bank created nothing. Each round trip, token
 * fetch included, runs under one HTTP retry policy: 429 and 5xx are retried with backoff honouring
 * Retry-After, except where the answer shows the bank acted; a lost answer is retried only for
 * reads (snap-retry.ts). Every attempt is signed afresh, with a new X-EXTERNAL-ID.
 */
export function createSnapQrClient(options: SnapQrClientOptions): SnapQrClient {
  const clock = options.clock ?? (() => new Date());
  const newExternalId =
    options.newExternalId ??
    (() =>
      BigInt(`0x${randomBytes(12).toString("hex")}`)
        .toString()
        .padStart(29, "0"));
  const http = createProviderHttp<SnapOperation>({
    baseUrl: options.baseUrl,
    clock,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    transportError: (message, init) => new SnapTransportError(message, init),
  });
  const { baseUrl } = http;
  let cached: { accessToken: string; refreshAt: number } | undefined;
  let inFlight: Promise<TokenGrant> | undefined;
  // One policy for the client's life; each call brings its own judgement.
  const policy = createHttpRetryPolicy({ name: "snap", ...options.retry });

  /**
   * Runs `send` under the retry policy for `operation`. Every round trip, retried ones included,
   * lands in `trail`; the last answer is returned (the caller reads it like any other).
   */
  async function retried(
    operation: SnapOperation,
    send: Send,
    signal: AbortSignal | undefined,
    trail: SnapExchange[],
  ): Promise<RawAnswer> {
    const attempt = async (attemptSignal: AbortSignal | undefined) => {
      try {
        const raw = await send(attemptSignal, [...trail]);
        trail.push(raw.exchange);
        return snapAttempt(raw, raw.status, raw.headers, raw.text);
      } catch (error) {
        if (isSnapTransportError(error)) trail.push(error.exchange);
        throw error;
      }
    };
    // A caller that gave up already gets the round trip's own "aborted before sending" (sent: false).
    const { answer } =
      signal?.aborted === true
        ? await attempt(signal)
        : await policy.execute(attempt, {
            ...snapJudgement(operation, isSnapTransportError),
            ...(signal === undefined ? {} : { signal }),
          });
    return answer;
  }

  /** One HTTP round trip; throws SnapTransportError when no answer arrives. */
  function exchange(
    operation: SnapOperation,
    method: "GET" | "POST",
    path: string,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal | undefined,
    earlier: SnapExchange[],
  ): Promise<RawAnswer> {
    const sent = method === "POST" ? body : undefined;
    return http.send({ operation, method, path, headers, body: sent, signal, earlier });
  }

  async function fetchToken(): Promise<TokenGrant> {
    const body = JSON.stringify({ grantType: "client_credentials" });
    const { clientId, partnerPrivateKey } = options;
    const trail: SnapExchange[] = [];
    let answer: RawAnswer;
    try {
      // Shared by every caller waiting for it, so it watches no one caller's signal.
      answer = await retried(
        "accessToken",
        (attemptSignal, earlier) => {
          const timestamp = snapTimestamp(clock());
          const headers = {
            "Content-Type": "application/json",
            [SnapHeader.timestamp]: timestamp,
            [SnapHeader.clientKey]: clientId,
            [SnapHeader.signature]: signAccessToken({ clientId, timestamp, privateKey: partnerPrivateKey }),
          };
          const path = "/v1.0/access-token/b2b";
          return exchange("accessToken", "POST", path, headers, body, attemptSignal, earlier);
        },
        undefined,
        trail,
      );
    } catch (error) {
      // The transaction behind this token was never sent, whatever happened to the token request.
      if (!isSnapTransportError(error)) throw error;
      throw new SnapTransportError(`access token: ${error.message}`, {
        sent: false,
        exchange: error.exchange,
        earlier: error.exchanges.slice(0, -1),
        cause: error,
      });
    }
    const parsed = interpret(answer, trail, false, (record) => {
      const accessToken = record.accessToken;
      if (typeof accessToken !== "string" || accessToken === "")
        throw new MalformedAnswer("answer lacks accessToken");
      const expiresIn = Number(record.expiresIn ?? 900);
      if (!Number.isFinite(expiresIn) || expiresIn <= 0)
        throw new MalformedAnswer("answer has a bad expiresIn");
      return { accessToken, expiresIn };
    });
    if (!parsed.ok) return { failure: parsed };
    const { accessToken, expiresIn } = parsed.body;
    cached = { accessToken, refreshAt: clock().getTime() + expiresIn * 1000 - TOKEN_MARGIN_MS };
    return { accessToken, exchanges: trail };
  }

  async function token(signal: AbortSignal | undefined, exchanges: SnapExchange[]): Promise<TokenGrant> {
    if (cached !== undefined && clock().getTime() < cached.refreshAt)
      return { accessToken: cached.accessToken, exchanges: [] };
    // Concurrent callers share one token request rather than each minting a token.
    let shared = inFlight;
    if (shared === undefined) {
      const fetching = fetchToken();
      const settle = () => {
        if (inFlight === fetching) inFlight = undefined;
      };
      fetching.then(settle, settle);
      inFlight = shared = fetching;
    }
    const startedAt = clock();
    try {
      const grant = await abortable(shared, signal);
      exchanges.push(...("failure" in grant ? grant.failure.exchanges : grant.exchanges));
      return grant;
    } catch (error) {
      if (isSnapTransportError(error)) {
        exchanges.push(...error.exchanges);
        // Carried again with this call's own trail in front of the token's.
        throw new SnapTransportError(error.message, {
          sent: error.sent,
          exchange: error.exchange,
          earlier: exchanges.slice(0, -1),
          cause: error.cause,
        });
      }
      if (signal?.aborted !== true) throw error;
      // Our caller gave up while the token was on its way: nothing of theirs was sent.
      const transportError = "aborted while waiting for the access token";
      const url = `${baseUrl}/v1.0/access-token/b2b`;
      const failed: SnapExchange = {
        operation: "accessToken",
        httpMethod: "POST",
        url,
        requestBody: "",
        startedAt,
        durationMicros: 0,
        transportError,
      };
      throw new SnapTransportError(transportError, {
        sent: false,
        exchange: failed,
        earlier: [...exchanges],
        cause: error,
      });
    }
  }

  /** A token-authenticated call with the one retry on an invalid-token answer. */
  async function call<T>(
    operation: SnapOperation,
    method: "GET" | "POST",
    path: string,
    payload: JsonRecord | undefined,
    signal: AbortSignal | undefined,
    parse: (record: JsonRecord) => T,
  ): Promise<SnapAnswer<T>> {
    const url = `${baseUrl}${path}`;
    const signedPath = new URL(url).pathname + new URL(url).search;
    // Serialized once: these exact bytes are hashed, signed and sent, on the retry too.
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const exchanges: SnapExchange[] = [];
    for (let round = 1; ; round += 1) {
      const granted = await token(signal, exchanges);
      if ("failure" in granted) return { ...granted.failure, exchanges };
      const { accessToken } = granted;
      const answer = await retried(
        operation,
        (attemptSignal, earlier) => {
          // Signed afresh per attempt: a new X-TIMESTAMP, and a new X-EXTERNAL-ID (409xx00 otherwise).
          const timestamp = snapTimestamp(clock());
          const headers: Record<string, string> = {
            [SnapHeader.authorization]: `Bearer ${accessToken}`,
            [SnapHeader.timestamp]: timestamp,
            [SnapHeader.partnerId]: options.partnerId,
            [SnapHeader.externalId]: newExternalId(),
            [SnapHeader.channelId]: options.channelId,
          };
          if (method === "POST") {
            headers["Content-Type"] = "application/json";
            headers[SnapHeader.signature] = symmetricSignature({
              method,
              path: signedPath,
              accessToken,
              body,
              timestamp,
              clientSecret: options.clientSecret,
            });
          }
          return exchange(operation, method, path, headers, body, attemptSignal, earlier);
        },
        signal,
        exchanges,
      );
      const result = interpret(answer, exchanges, true, parse);
      if (!result.ok && round === 1 && /^401\d{2}01$/.test(result.responseCode)) {
        if (cached?.accessToken === accessToken) cached = undefined;
        continue;
      }
      return result;
    }
  }

  return {
    generateQr(input) {
      const terminalId = input.terminalLabel ?? options.terminalId;
      const payload: JsonRecord = {
        partnerReferenceNo: input.partnerReferenceNo,
        amount: formatSnapAmount(input.amountMinorUnits, "IDR"),
        merchantId: options.merchantId,
        ...(terminalId === undefined ? {} : { terminalId }),
        ...(input.validityPeriod === undefined
          ? {}
          : { validityPeriod: snapTimestamp(input.validityPeriod) }),
      };
      return call("generateQr", "POST", "/v1.0/qr/qr-mpm-generate", payload, input.signal, (record) => {
        checkShape(
          record,
          ["referenceNo", "qrContent"],
          ["partnerReferenceNo", "merchantName", "storeId", "terminalId"],
        );
        return withDefaults(record, {
          partnerReferenceNo: input.partnerReferenceNo,
        }) as unknown as GenerateQrAnswer;
      });
    },
    queryQr(input) {
      const payload: JsonRecord = {
        originalPartnerReferenceNo: input.partnerReferenceNo,
        ...(input.referenceNo === undefined ? {} : { originalReferenceNo: input.referenceNo }),
        serviceCode: SnapServiceCode.qrMpmGenerate,
        merchantId: options.merchantId,
      };
      return call("queryQr", "POST", "/v1.0/qr/qr-mpm-query", payload, input.signal, (record) => {
        const optional = ["originalPartnerReferenceNo", "transactionStatusDesc", "serviceCode", "paidTime"];
        checkShape(record, ["originalReferenceNo", "latestTransactionStatus"], optional);
        const defaults = { originalPartnerReferenceNo: input.partnerReferenceNo };
        return withDefaults(record, defaults) as unknown as QueryQrAnswer;
      });
    },
    cancelQr(input) {
      const payload: JsonRecord = {
        originalPartnerReferenceNo: input.partnerReferenceNo,
        ...(input.referenceNo === undefined ? {} : { originalReferenceNo: input.referenceNo }),
        merchantId: options.merchantId,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      };
      return call("cancelQr", "POST", "/v1.0/qr/qr-mpm-cancel", payload, input.signal, (record) => {
        const optional = [
          "originalReferenceNo",
          "originalPartnerReferenceNo",
          "cancelTime",
          "transactionDate",
        ];
        checkShape(record, [], [...optional, "latestTransactionStatus", "transactionStatusDesc"]);
        const defaults = {
          originalPartnerReferenceNo: input.partnerReferenceNo,
          originalReferenceNo: input.referenceNo ?? "",
        };
        return withDefaults(record, defaults) as unknown as CancelQrAnswer;
      });
    },
    listSettlements(input) {
      const path = `/v1.0/qr/settlements?date=${encodeURIComponent(input.date)}`;
      return call("listSettlements", "GET", path, undefined, input.signal, (record) => {
        if (!Array.isArray(record.settlements)) throw new MalformedAnswer("answer lacks settlements");
        return record as unknown as SettlementsAnswer;
      });
    },
  };
}

/**
 * Reads an answer: SNAP-shaped JSON with a 7-digit responseCode, successful when both the HTTP
 * status and the code say 2xx (some banks answer HTTP 200 with an error code). Anything else
 * throws SnapTransportError with `sent: true`: something answered, but what it did is unknown.
 * `exchanges` is the call's trail so far, ending with this answer's exchange.
 */
function interpret<T>(
  answer: RawAnswer,
  exchanges: SnapExchange[],
  sent: boolean,
  parse: (record: JsonRecord) => T,
): SnapAnswer<T> {
  const { exchange } = answer;
  const all = [...exchanges];
  try {
    const record = parseRecord(answer.text);
    const responseCode = record.responseCode;
    if (typeof responseCode !== "string" || !/^\d{7}$/.test(responseCode)) {
      throw new MalformedAnswer("answer has no 7-digit responseCode");
    }
    const responseMessage = typeof record.responseMessage === "string" ? record.responseMessage : "";
    if (answer.status >= 200 && answer.status < 300 && responseCode.startsWith("2")) {
      return { ok: true, responseCode, responseMessage, body: parse(record), exchange, exchanges: all };
    }
    return { ok: false, responseCode, responseMessage, httpStatus: answer.status, exchange, exchanges: all };
  } catch (error) {
    if (!(error instanceof MalformedAnswer)) throw error;
    const message = `HTTP ${answer.status}: ${error.message}`;
    const failed = { ...exchange, transportError: message };
    throw new SnapTransportError(message, {
      sent,
      exchange: failed,
      earlier: all.slice(0, -1),
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
  // Some banks send null for absent optional fields; absent is what the typed answers expect.
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null));
}

/**
 * Checks the fields an answer type promises before the answer is cast to it: required strings
 * present, optional ones strings when present, `amount` and `additionalInfo` objects. Other
 * fields pass through untouched for the audit trail.
 */
function checkShape(record: JsonRecord, required: readonly string[], optional: readonly string[]): void {
  for (const name of required) {
    if (typeof record[name] !== "string" || record[name] === "")
      throw new MalformedAnswer(`answer lacks ${name}`);
  }
  for (const name of optional) {
    if (record[name] !== undefined && typeof record[name] !== "string") {
      throw new MalformedAnswer(`answer field ${name} is not a string`);
    }
  }
  const { amount, additionalInfo } = record;
  if (additionalInfo !== undefined && (typeof additionalInfo !== "object" || Array.isArray(additionalInfo))) {
    throw new MalformedAnswer("answer field additionalInfo is not an object");
  }
  if (amount === undefined) return;
  const valid =
    typeof amount === "object" &&
    amount !== null &&
    "value" in amount &&
    typeof amount.value === "string" &&
    "currency" in amount &&
    typeof amount.currency === "string";
  if (!valid) throw new MalformedAnswer("answer field amount is not a SNAP amount");
}

function withDefaults(record: JsonRecord, defaults: Record<string, string>): JsonRecord {
  const merged: JsonRecord = { ...record };
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof merged[name] !== "string" && value !== "") merged[name] = value;
  }
  return merged;
}

/** Waits for a shared promise, but lets one caller's abort end only that caller's wait. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
