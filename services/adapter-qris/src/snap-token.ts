import { isProviderTransportError, type ProviderClient, ProviderTransportError } from "@paymesh/adapter-kit";
import { type KeyLike, SnapHeader, signAccessToken, snapTimestamp } from "@paymesh/snap";
import {
  readSnapAnswer,
  readToken,
  type SnapExchange,
  type SnapFailure,
  type SnapOperation,
  TOKEN_BODY,
  TOKEN_PATH,
} from "./snap-wire.ts";

// A token is used until 60 s before it expires, so it cannot expire between signing and arrival.
const TOKEN_MARGIN_MS = 60_000;

/** A usable token (with the round trips that fetched it; none when cached) or the bank's refusal. */
export type TokenGrant = { accessToken: string; exchanges: SnapExchange[] } | { failure: SnapFailure };

/** The B2B access token every SNAP transaction carries; {@link createSnapTokens}. */
export interface SnapTokens {
  /**
   * The cached token, or a new one. Throws a ProviderTransportError with `sent: false` when none
   * could be had: the transaction waiting for it was never sent.
   */
  grant(signal: AbortSignal | undefined): Promise<TokenGrant>;
  /** The bank called `accessToken` invalid (401xx01): the next grant fetches a new one. */
  forget(accessToken: string): void;
}

/** What fetching a token needs. */
export interface SnapTokenOptions {
  /** The adapter's one SNAP client: token fetches share its retries and exchange trail. */
  client: ProviderClient<SnapOperation>;
  /** `X-CLIENT-KEY`. */
  clientId: string;
  /** Signs the token request (RSA-SHA256 over `clientId|X-TIMESTAMP`). */
  partnerPrivateKey: KeyLike;
  clock: () => Date;
}

/**
 * The token fetched lazily, cached until shortly before it expires, and shared: concurrent callers
 * wait for one token request rather than each minting a token. The request runs under the client's
 * `read` rule (a second token only replaces the first) and is signed afresh on every attempt.
 */
export function createSnapTokens(options: SnapTokenOptions): SnapTokens {
  const { client, clientId, partnerPrivateKey, clock } = options;
  let cached: { accessToken: string; refreshAt: number } | undefined;
  let inFlight: Promise<TokenGrant> | undefined;

  async function fetchToken(): Promise<TokenGrant> {
    try {
      // Shared by every caller waiting for it, so it watches no one caller's signal.
      const answer = await client.call({
        operation: "accessToken",
        method: "POST",
        path: TOKEN_PATH,
        body: TOKEN_BODY,
        headers: () => {
          const timestamp = snapTimestamp(clock());
          return {
            "Content-Type": "application/json",
            [SnapHeader.timestamp]: timestamp,
            [SnapHeader.clientKey]: clientId,
            [SnapHeader.signature]: signAccessToken({ clientId, timestamp, privateKey: partnerPrivateKey }),
          };
        },
      });
      const read = readSnapAnswer(answer, readToken);
      if (!read.ok) return { failure: read };
      const { accessToken, expiresIn } = read.body;
      cached = { accessToken, refreshAt: clock().getTime() + expiresIn * 1000 - TOKEN_MARGIN_MS };
      return { accessToken, exchanges: read.exchanges };
    } catch (error) {
      // The transaction behind this token was never sent, whatever happened to the token request.
      if (!isProviderTransportError(error)) throw error;
      const exchanges = error.exchanges as SnapExchange[];
      throw new ProviderTransportError(`access token: ${error.message}`, {
        sent: false,
        exchange: exchanges[exchanges.length - 1] as SnapExchange,
        earlier: exchanges.slice(0, -1),
        cause: error,
      });
    }
  }

  async function grant(signal: AbortSignal | undefined): Promise<TokenGrant> {
    if (cached !== undefined && clock().getTime() < cached.refreshAt)
      return { accessToken: cached.accessToken, exchanges: [] };
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
    const started = performance.now();
    try {
      return await abortable(shared, signal);
    } catch (error) {
      if (isProviderTransportError(error) || signal?.aborted !== true) throw error;
      // The caller gave up while the token was on its way: nothing of theirs was sent.
      const transportError = "aborted while waiting for the access token";
      const waited: SnapExchange = {
        operation: "accessToken",
        httpMethod: "POST",
        url: `${client.baseUrl}${TOKEN_PATH}`,
        requestBody: "",
        startedAt,
        durationMicros: Math.max(1, Math.round((performance.now() - started) * 1000)),
        transportError,
      };
      throw new ProviderTransportError(transportError, { sent: false, exchange: waited, cause: error });
    }
  }

  return {
    grant,
    forget(accessToken) {
      if (cached?.accessToken === accessToken) cached = undefined;
    },
  };
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
