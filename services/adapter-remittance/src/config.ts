import { readFileSync } from "node:fs";
import { env, type ListenConfig, readEnv, readListenEnv, readRetryEnv } from "@paymesh/adapter-kit";
import type { WiseClientOptions } from "./wise-client.ts";
import { DEFAULT_WEBHOOK_TOLERANCE_MS } from "./wise-webhook.ts";

const SERVICE = "adapter-remittance";

/** Everything the remittance adapter process needs, from its environment. */
export interface RemittanceAdapterConfig extends ListenConfig {
  wise: Omit<WiseClientOptions, "fetch" | "clock" | "retry"> & {
    timeoutMs: number;
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
  /** PEM of the key Wise signs webhooks with. */
  webhookPublicKey: string;
  /** How far a webhook's signed `sent_at` may be from our clock (RemittanceProviderOptions). */
  webhookToleranceMs: number;
}

/** The adapter's variables; every one is in the README's configuration table. */
const SHAPE = {
  WISE_BASE_URL: env.url(),
  WISE_API_TOKEN: env.text(),
  // Wise profile ids are numbers, and go into request bodies as JSON numbers.
  WISE_PROFILE_ID: env.text().regex(/^\d+$/, {
    error: (issue) => `must be Wise's numeric profile id, got ${JSON.stringify(issue.input)}`,
  }),
  WISE_WEBHOOK_PUBLIC_KEY_FILE: env.text(),
  // Up to the longest delay a Node timer can wait.
  WISE_TIMEOUT_MS: env.int(1, 2_147_483_647).default(10_000),
  WISE_WEBHOOK_TOLERANCE_MS: env.int(1_000, 86_400_000).default(DEFAULT_WEBHOOK_TOLERANCE_MS),
};

/**
 * Reads the adapter's config. WISE_BASE_URL, WISE_API_TOKEN, WISE_PROFILE_ID and
 * WISE_WEBHOOK_PUBLIC_KEY_FILE are required; the rest have defaults. ADAPTER_HOST and ADAPTER_PORT
 * (default 50064) are the kit's readListenEnv; the upstream retry backoff is its
 * WISE_HTTP_MAX_ATTEMPTS / _INITIAL_DELAY_MS / _MAX_DELAY_MS. A wrong or missing variable throws a
 * ConfigError naming it, so the process refuses to start.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): RemittanceAdapterConfig {
  const read = readEnv(SERVICE, SHAPE, source);
  const retry = readRetryEnv(SERVICE, "WISE", source);
  return {
    ...readListenEnv(SERVICE, 50_064, source),
    wise: {
      baseUrl: read.WISE_BASE_URL,
      apiToken: read.WISE_API_TOKEN,
      profileId: read.WISE_PROFILE_ID,
      timeoutMs: read.WISE_TIMEOUT_MS,
      retry,
    },
    webhookPublicKey: readFileSync(read.WISE_WEBHOOK_PUBLIC_KEY_FILE, "utf8"),
    webhookToleranceMs: read.WISE_WEBHOOK_TOLERANCE_MS,
  };
}
