// The provider's endpoints: how each request is built and authenticated, and what each may repeat.
// Timeouts, retries and the masked exchange trail are the kit's (createProviderClient).
import {
  createMasker,
  createProviderClient,
  type ProviderAnswer,
  type ProviderRetryOptions,
  type RepeatRule,
} from "@paymesh/adapter-kit";
import type { CreatePaymentBody } from "./__name__-wire.ts";

/** The provider's name in messages and retry events. */
export const PROVIDER_NAME = "__Name__";

/** The provider's endpoints this adapter calls; each is an `operation` in the exchange trail. */
export type Operation = "createPayment" | "getPayment";

/**
 * What each call may repeat, the one table the kit's retries read:
 * - `createPayment` is keyed: the provider keeps one payment per Idempotency-Key (the payment id),
 *   so a repeat after a 429 or 5xx cannot charge twice.
 * - `getPayment` only reads.
 * An operation without a provider-side idempotency key is `once`.
 */
const RULES: Readonly<Record<Operation, RepeatRule>> = {
  createPayment: "keyed",
  getPayment: "read",
};

/** The shared rules already mask `va_number` and `customer_name`; add this provider's own keys here. */
const MASKER = createMasker();

/** How to reach the provider. */
export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** @default 10000 */
  timeoutMs?: number;
  retry?: ProviderRetryOptions;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default () => new Date() */
  clock?: () => Date;
}

/** One answer of the provider, whatever its status, with every round trip of the call. */
export type Answer = ProviderAnswer<Operation>;

/** The provider's API as the adapter uses it. Throws the kit's ProviderTransportError when no answer came. */
export interface Client {
  createPayment(body: CreatePaymentBody, signal: AbortSignal): Promise<Answer>;
  /** The payment the provider holds under `reference` (the payment id). */
  getPayment(reference: string, signal: AbortSignal): Promise<Answer>;
}

/** The client of the provider's API. */
export function createClient(options: ClientOptions): Client {
  const client = createProviderClient<Operation>({
    provider: PROVIDER_NAME,
    adapter: "adapter-__name__",
    baseUrl: options.baseUrl,
    rules: RULES,
    masker: MASKER,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  // Asked for once per attempt: a provider that signs requests or stamps them signs each attempt anew.
  const auth = (): Record<string, string> => ({
    authorization: `Bearer ${options.apiKey}`,
    accept: "application/json",
  });

  return {
    createPayment: (body, signal) =>
      client.call({
        operation: "createPayment",
        method: "POST",
        path: "/v1/payments",
        headers: () => ({
          ...auth(),
          "content-type": "application/json",
          "idempotency-key": body.reference,
        }),
        body: JSON.stringify(body),
        signal,
      }),
    getPayment: (reference, signal) =>
      client.call({
        operation: "getPayment",
        method: "GET",
        path: `/v1/payments?reference=${encodeURIComponent(reference)}`,
        headers: auth,
        signal,
      }),
  };
}
