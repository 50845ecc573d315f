import { readFileSync } from "node:fs";
import {
  ConfigError,
  env,
  type ListenConfig,
  readEnv,
  readListenEnv,
  readRetryEnv,
} from "@paymesh/adapter-kit";
import type { SnapQrClientOptions } from "./snap-client.ts";
import { DEFAULT_NOTIFICATION_TOLERANCE_MS } from "./snap-webhook.ts";

const SERVICE = "adapter-qris";

/** Everything the QRIS adapter process needs, from its environment. */
export interface QrisAdapterConfig extends ListenConfig {
  snap: Omit<SnapQrClientOptions, "fetch" | "clock" | "newExternalId" | "retry"> & {
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
  bankPublicKey: string;
  /** How far a notification's signed X-TIMESTAMP may be from our clock (QrisProviderOptions). */
  webhookToleranceMs: number;
}

/**
 * The adapter's variables. Every SNAP credential is required: a bank's, or the simulator's fake
 * ones (sandbox/adapter-env.ts). The two keys are PEM files, named by path.
 */
const SHAPE = {
  SNAP_BASE_URL: env.url(),
  SNAP_CLIENT_ID: env.text(),
  SNAP_CLIENT_SECRET: env.text(),
  SNAP_PARTNER_ID: env.text(),
  SNAP_CHANNEL_ID: env.text(),
  SNAP_MERCHANT_ID: env.text(),
  SNAP_PRIVATE_KEY_FILE: env.text(),
  SNAP_BANK_PUBLIC_KEY_FILE: env.text(),
  // Wide enough for clock skew and delivery latency, narrow enough to refuse a replay.
  SNAP_WEBHOOK_TOLERANCE_MS: env.int(1_000, 86_400_000).default(DEFAULT_NOTIFICATION_TOLERANCE_MS),
};

/**
 * Reads the adapter's config from `source`; throws a ConfigError naming the first variable that is
 * missing or wrong. ADAPTER_HOST and ADAPTER_PORT (default 50061) are the kit's readListenEnv; the
 * upstream retry backoff is its SNAP_HTTP_MAX_ATTEMPTS, SNAP_HTTP_INITIAL_DELAY_MS and
 * SNAP_HTTP_MAX_DELAY_MS.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): QrisAdapterConfig {
  const read = readEnv(SERVICE, SHAPE, source);
  const retry = readRetryEnv(SERVICE, "SNAP", source);
  return {
    ...readListenEnv(SERVICE, 50_061, source),
    snap: {
      baseUrl: read.SNAP_BASE_URL,
      clientId: read.SNAP_CLIENT_ID,
      clientSecret: read.SNAP_CLIENT_SECRET,
      partnerId: read.SNAP_PARTNER_ID,
      channelId: read.SNAP_CHANNEL_ID,
      merchantId: read.SNAP_MERCHANT_ID,
      partnerPrivateKey: keyFile("SNAP_PRIVATE_KEY_FILE", read.SNAP_PRIVATE_KEY_FILE),
      retry,
    },
    bankPublicKey: keyFile("SNAP_BANK_PUBLIC_KEY_FILE", read.SNAP_BANK_PUBLIC_KEY_FILE),
    webhookToleranceMs: read.SNAP_WEBHOOK_TOLERANCE_MS,
  };
}

/** A PEM file's text; a path that cannot be read is the variable's fault, so the error names it. */
function keyFile(variable: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const why = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new ConfigError(SERVICE, variable, `names a file that cannot be read: ${path} (${why})`);
  }
}
