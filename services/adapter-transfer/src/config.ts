import { env, type ListenConfig, readEnv, readListenEnv, readRetryEnv } from "@paymesh/adapter-kit";

const SERVICE = "adapter-transfer";

/** Everything the transfer adapter process needs, from its environment. */
export interface TransferAdapterConfig extends ListenConfig {
  xendit: {
    baseUrl: string;
    secretKey: string;
    timeoutMs: number;
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
  callbackToken: string;
  /** XENDIT_CONFIRM_CALLBACKS=0 turns off confirming callbacks with the API (default on). */
  confirmCallbacks: boolean;
}

/**
 * The adapter's variables. The URL, key and token have no defaults: a real deployment must name
 * its own, and a local run gets the simulator's from `sandbox/adapter-env.ts`.
 */
const SHAPE = {
  XENDIT_BASE_URL: env.url(),
  XENDIT_SECRET_KEY: env.text(),
  XENDIT_CALLBACK_TOKEN: env.text(),
  XENDIT_TIMEOUT_MS: env.int(1, 600_000).default(10_000),
  // On unless turned off: confirming is what makes a static token's callback trustworthy.
  XENDIT_CONFIRM_CALLBACKS: env.flag().default(true),
};

/**
 * Reads the adapter's config; a missing or malformed variable throws a ConfigError naming it.
 * XENDIT_BASE_URL, XENDIT_SECRET_KEY and XENDIT_CALLBACK_TOKEN are required; XENDIT_TIMEOUT_MS
 * (default 10000) bounds each HTTP request; XENDIT_CONFIRM_CALLBACKS=0 trusts callback bodies
 * without asking the API. ADAPTER_HOST and ADAPTER_PORT (default 50063) are the kit's
 * readListenEnv; the upstream retry backoff is its XENDIT_HTTP_* trio.
 */
export function loadTransferAdapterConfig(source: NodeJS.ProcessEnv = process.env): TransferAdapterConfig {
  const read = readEnv(SERVICE, SHAPE, source);
  return {
    ...readListenEnv(SERVICE, 50_063, source),
    xendit: {
      baseUrl: read.XENDIT_BASE_URL,
      secretKey: read.XENDIT_SECRET_KEY,
      timeoutMs: read.XENDIT_TIMEOUT_MS,
      retry: readRetryEnv(SERVICE, "XENDIT", source),
    },
    callbackToken: read.XENDIT_CALLBACK_TOKEN,
    confirmCallbacks: read.XENDIT_CONFIRM_CALLBACKS,
  };
}
