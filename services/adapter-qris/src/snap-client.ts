import { randomBytes } from "node:crypto";
import {
  type AttemptReading,
  connectionOptions,
  createMasker,
  createProviderClient,
  isProviderTransportError,
  jsonObjectOf,
  maskAccountNumber,
  type ProviderHttpAnswer,
  type ProviderRetryOptions,
  ProviderTransportError,
  type RepeatRule,
} from "@paymesh/adapter-kit";
import { type KeyLike, SnapHeader, snapTimestamp, symmetricSignature } from "@paymesh/snap";
import { createSnapTokens, type TokenGrant } from "./snap-token.ts";
import {
  CANCEL_PATH,
  type CancelQrAnswer,
  cancelQrBody,
  GENERATE_PATH,
  type GenerateQrAnswer,
  generateQrBody,
  QUERY_PATH,
  type QueryQrAnswer,
  queryQrBody,
  readCancelled,
  readGenerated,
  readQueried,
  readSettlements,
  readSnapAnswer,
  type SettlementsAnswer,
  type SnapAnswer,
  type SnapExchange,
  type SnapOperation,
  type SnapReader,
  settlementsPath,
} from "./snap-wire.ts";

/**
 * The shared rules, plus the settlement file: its CSV `lines` carry the payer's PAN (NNS prefix
 * 9360 and up to 15 more digits), masked in every recorded exchange like any account number.
 */
export const snapMasker = createMasker({
  special: (key, value) =>
    key === "lines" && Array.isArray(value)
      ? value.map((row: unknown) => (typeof row === "string" ? maskFileRowPans(row) : row))
      : undefined,
});

/** A settlement file row with every PAN-shaped cell masked to its last 4 digits. */
export function maskFileRowPans(row: string): string {
  return row
    .split(",")
    .map((cell) => (/^9360\d{8,15}$/.test(cell) ? maskAccountNumber(cell) : cell))
    .join(",");
}

/**
 * The one table of what each SNAP call may repeat, and why. Every attempt is signed afresh with a
 * new X-TIMESTAMP and a new X-EXTERNAL-ID: the bank refuses the same X-EXTERNAL-ID twice in a day
 * as 409xx00, so a repeat must not reuse it. The body, and so partnerReferenceNo, stays the same.
 */
const RULES: Readonly<Record<SnapOperation, RepeatRule>> = {
  // A second token only replaces the first; no transaction rides on it yet.
  accessToken: "read",
  // partnerReferenceNo is the payment id: the bank refuses a second one with 409xx01, creating nothing.
  generateQr: "keyed",
  queryQr: "read",
  // Cancelling a cancelled QR answers 2007700 again; nothing is charged either way.
  cancelQr: "keyed",
  listSettlements: "read",
};

/**
 * The retry decision's reading of an answer. The 7-character responseCode starts with the HTTP
 * status the bank means, and some banks answer HTTP 200 with an error code, so the code decides
 * when there is one; a body that is not SNAP JSON (a gateway page) falls back on the HTTP status.
 * A `referenceNo` is the bank's id of a created QR, and 409xx01 says the partnerReferenceNo was
 * used: either way a repeat would only meet what the bank already did.
 */
export function readSnapAttempt(answer: ProviderHttpAnswer<SnapOperation>): AttemptReading {
  const value = jsonObjectOf(answer.text);
  if (value === undefined) return { status: answer.status, acted: false };
  const responseCode = value.responseCode;
  const code = typeof responseCode === "string" && /^\d{7}$/.test(responseCode) ? responseCode : undefined;
  const referenceNo = value.referenceNo;
  const acted =
    (typeof referenceNo === "string" && referenceNo !== "") ||
    (code !== undefined && /^409\d{2}01$/.test(code));
  return { status: code === undefined ? answer.status : Number(code.slice(0, 3)), acted };
}

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
   * included; which calls are retried is the RULES table's. `{ maxAttempts: 1 }` turns retrying
   * off. @default 3 calls, 100 ms first backoff, 2000 ms cap
   */
  retry?: ProviderRetryOptions;
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
  /** A piece of the acquirer's settlement file for a WIB day, from `offset` (the previous piece's `nextOffset`). */
  listSettlements(input: {
    date: string;
    offset?: string | undefined;
    signal?: AbortSignal;
  }): Promise<SnapAnswer<SettlementsAnswer>>;
}

// `401xx01`: the access token is invalid (expired early, revoked).
const INVALID_TOKEN = /^401\d{2}01$/;

/**
 * The HTTP client for Bank Indonesia SNAP QR MPM: every transaction carries the cached B2B access
 * token (snap-token.ts) and an HMAC-SHA512 signature over the exact minified body it sends. A
 * `401xx01` answer refreshes the token and repeats the call once; that is safe because a 401
 * proves the bank created nothing. Each round trip runs under the kit's client and the RULES
 * table; the token's round trips come first in a call's trail.
 */
export function createSnapQrClient(options: SnapQrClientOptions): SnapQrClient {
  const clock = options.clock ?? (() => new Date());
  const newExternalId = options.newExternalId ?? randomExternalId;
  const client = createProviderClient<SnapOperation>({
    ...connectionOptions(options),
    provider: "SNAP",
    adapter: "adapter-qris",
    rules: RULES,
    readAttempt: readSnapAttempt,
    // SNAP bodies name no account or person; the settlement file's CSV lines carry the payer's PAN.
    masker: snapMasker,
    clock,
  });
  const tokens = createSnapTokens({
    client,
    clientId: options.clientId,
    partnerPrivateKey: options.partnerPrivateKey,
    clock,
  });

  /** The token, or its failure carried again with this call's own trail in front of the token's. */
  async function grant(signal: AbortSignal | undefined, trail: SnapExchange[]): Promise<TokenGrant> {
    try {
      return await tokens.grant(signal);
    } catch (error) {
      if (!isProviderTransportError(error)) throw error;
      throw new ProviderTransportError(error.message, {
        sent: error.sent,
        exchange: error.exchange,
        earlier: [...trail, ...error.exchanges.slice(0, -1)],
        cause: error.cause,
      });
    }
  }

  /** A token-authenticated call, repeated once with a new token after an invalid-token answer. */
  async function call<T>(
    operation: SnapOperation,
    method: "GET" | "POST",
    path: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
    read: SnapReader<T>,
  ): Promise<SnapAnswer<T>> {
    const url = new URL(`${client.baseUrl}${path}`);
    const signedPath = url.pathname + url.search;
    let trail: SnapExchange[] = [];
    for (let round = 1; ; round += 1) {
      const granted = await grant(signal, trail);
      if ("failure" in granted)
        return { ...granted.failure, exchanges: [...trail, ...granted.failure.exchanges] };
      const { accessToken } = granted;
      const answer = await client.call({
        operation,
        method,
        path,
        body,
        signal,
        earlier: [...trail, ...granted.exchanges],
        // Signed afresh per attempt: a new X-TIMESTAMP, and a new X-EXTERNAL-ID (409xx00 otherwise).
        headers: () => {
          const timestamp = snapTimestamp(clock());
          const headers: Record<string, string> = {
            [SnapHeader.authorization]: `Bearer ${accessToken}`,
            [SnapHeader.timestamp]: timestamp,
            [SnapHeader.partnerId]: options.partnerId,
            [SnapHeader.externalId]: newExternalId(),
            [SnapHeader.channelId]: options.channelId,
          };
          if (body === undefined) return headers;
          const { clientSecret } = options;
          return {
            ...headers,
            "Content-Type": "application/json",
            [SnapHeader.signature]: symmetricSignature({
              method,
              path: signedPath,
              accessToken,
              body,
              timestamp,
              clientSecret,
            }),
          };
        },
      });
      const result = readSnapAnswer(answer, read);
      if (result.ok || round > 1 || !INVALID_TOKEN.test(result.responseCode)) return result;
      tokens.forget(accessToken);
      trail = result.exchanges;
    }
  }

  const { merchantId } = options;
  return {
    generateQr(input) {
      const terminalId = input.terminalLabel ?? options.terminalId;
      const { partnerReferenceNo, amountMinorUnits, validityPeriod } = input;
      const body = generateQrBody({
        partnerReferenceNo,
        amountMinorUnits,
        merchantId,
        terminalId,
        validityPeriod,
      });
      return call("generateQr", "POST", GENERATE_PATH, body, input.signal, readGenerated(partnerReferenceNo));
    },
    queryQr(input) {
      const { partnerReferenceNo, referenceNo } = input;
      const body = queryQrBody({ partnerReferenceNo, referenceNo, merchantId });
      return call("queryQr", "POST", QUERY_PATH, body, input.signal, readQueried(partnerReferenceNo));
    },
    cancelQr(input) {
      const { partnerReferenceNo, referenceNo, reason } = input;
      const body = cancelQrBody({ partnerReferenceNo, referenceNo, merchantId, reason });
      const read = readCancelled(partnerReferenceNo, referenceNo);
      return call("cancelQr", "POST", CANCEL_PATH, body, input.signal, read);
    },
    listSettlements(input) {
      return call(
        "listSettlements",
        "GET",
        settlementsPath(input.date, input.offset),
        undefined,
        input.signal,
        readSettlements,
      );
    },
  };
}

/** 29 random decimal digits (96 bits), a fresh X-EXTERNAL-ID. */
function randomExternalId(): string {
  return BigInt(`0x${randomBytes(12).toString("hex")}`)
    .toString()
    .padStart(29, "0");
}
