import {
  createProviderHttp,
  type HttpExchange,
  type ProviderHttpAnswer,
  ProviderTransportError,
} from "@paymesh/adapter-kit";
import { maskBody } from "./wise-masking.ts";

/** The operations the Wise client performs, as recorded in exchanges. */
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
 * No usable answer arrived. `sent` says whether the request may have reached Wise: false only when
 * it provably did not (connection refused, DNS failure, aborted before sending). When true the
 * outcome is unknown and must be resolved by asking Wise, never guessed (DESIGN.md section 4).
 * `exchange` is the failed round trip; `exchanges` every one of the call, retried attempts first.
 */
export class WiseTransportError extends ProviderTransportError<WiseExchange> {
  override readonly name = "WiseTransportError";
  /** Marker for {@link isWiseTransportError}, which survives duplicated module copies. */
  readonly wiseTransportError = true;
}

/** True for a {@link WiseTransportError}, by marker property rather than `instanceof`. */
export function isWiseTransportError(error: unknown): error is WiseTransportError {
  return typeof error === "object" && error !== null && "wiseTransportError" in error;
}

/** What the transport needs: where Wise is, the token, and the injectables. */
export interface WiseHttpOptions {
  baseUrl: string;
  apiToken: string;
  fetch: typeof fetch;
  clock: () => Date;
  timeoutMs: number;
}

/** A raw HTTP answer with its headers (Retry-After) and its (masked) exchange record. */
export type WiseHttpAnswer = ProviderHttpAnswer<WiseOperation>;

/**
 * Creates the one function that talks HTTP to Wise: bearer token, JSON, a per-request timeout, and
 * an exchange record of every round trip, masked before it leaves this function (adapter-kit's
 * provider HTTP). `earlier` (the call's previous attempts) rides on a transport error for the
 * audit trail.
 */
export function createWiseHttp(options: WiseHttpOptions) {
  const http = createProviderHttp<WiseOperation>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    clock: options.clock,
    timeoutMs: options.timeoutMs,
    maskBody,
    transportError: (message, init) => new WiseTransportError(message, init),
  });
  return function send(
    operation: WiseOperation,
    method: "GET" | "POST" | "PUT",
    path: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
    earlier: WiseExchange[] = [],
  ): Promise<WiseHttpAnswer> {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiToken}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return http.send({ operation, method, path, headers, body, signal, earlier });
  };
}

/** The send function {@link createWiseHttp} returns. */
export type WiseSend = ReturnType<typeof createWiseHttp>;
