import { env, type ListenConfig, readEnv, readListenEnv, readRetryEnv } from "@paymesh/adapter-kit";
import type { MidtransClientOptions } from "./midtrans-client.ts";

/** Everything the VA adapter process needs, from its environment. */
export interface VaAdapterConfig extends ListenConfig {
  midtrans: Omit<MidtransClientOptions, "fetch" | "clock" | "retry"> & {
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
}

const SERVICE = "adapter-va";

/**
 * The adapter's variables. The base URL and server key are always given explicitly: a simulator
 * run gets them from the simulator's `adapterEnv`, so no switch here swaps in fake credentials.
 */
const SHAPE = {
  MIDTRANS_BASE_URL: env.url(),
  MIDTRANS_SERVER_KEY: env.text(),
  /** Sent as X-Override-Notification on every charge; unset leaves the dashboard's URL. */
  MIDTRANS_NOTIFICATION_URL: env.text().optional(),
  MIDTRANS_TIMEOUT_MS: env.int(1, 600_000).default(10_000),
};

/**
 * Reads the adapter's config; throws a ConfigError naming the variable at fault. ADAPTER_HOST and
 * ADAPTER_PORT (default 50062) are the kit's readListenEnv; the upstream retry backoff is its
 * MIDTRANS_HTTP_MAX_ATTEMPTS / _INITIAL_DELAY_MS / _MAX_DELAY_MS trio.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): VaAdapterConfig {
  const read = readEnv(SERVICE, SHAPE, source);
  const notificationUrl = read.MIDTRANS_NOTIFICATION_URL;
  return {
    ...readListenEnv(SERVICE, 50_062, source),
    midtrans: {
      baseUrl: read.MIDTRANS_BASE_URL,
      serverKey: read.MIDTRANS_SERVER_KEY,
      timeoutMs: read.MIDTRANS_TIMEOUT_MS,
      retry: readRetryEnv(SERVICE, "MIDTRANS", source),
      ...(notificationUrl === undefined ? {} : { overrideNotificationUrl: notificationUrl }),
    },
  };
}
