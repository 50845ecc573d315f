import { readFileSync } from "node:fs";
import { HTTP_RETRY_DEFAULTS } from "@paymesh/resilience";
import type { SnapQrClientOptions } from "./snap-client.ts";
import { DEFAULT_NOTIFICATION_TOLERANCE_MS } from "./snap-notification.ts";

/** Everything the QRIS adapter process needs, from its environment. */
export interface QrisAdapterConfig {
  host: string;
  port: number;
  snap: Omit<SnapQrClientOptions, "fetch" | "clock" | "newExternalId" | "retry"> & {
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
  bankPublicKey: string;
  /** How far a notification's signed X-TIMESTAMP may be from our clock (QrisProviderOptions). */
  webhookToleranceMs: number;
}

/**
 * Reads the adapter's config. Every SNAP credential must be given explicitly
 * (SNAP_BASE_URL, SNAP_CLIENT_ID, SNAP_CLIENT_SECRET, SNAP_PARTNER_ID, SNAP_CHANNEL_ID,
 * SNAP_MERCHANT_ID, SNAP_PRIVATE_KEY_FILE, SNAP_BANK_PUBLIC_KEY_FILE), except that
 * SNAP_SANDBOX=1 fills the simulator's fake test credentials so a local run needs only the URL.
 * Optional, the upstream retry backoff: SNAP_HTTP_MAX_ATTEMPTS (calls in total, default 3; 1 = no
 * retries), SNAP_HTTP_INITIAL_DELAY_MS (default 100), SNAP_HTTP_MAX_DELAY_MS (cap on any wait, a
 * Retry-After included; default 2000). SNAP_WEBHOOK_TOLERANCE_MS (default 300000) is how far a
 * notification's signed X-TIMESTAMP may be from our clock, either way, before it is refused as a
 * replay.
 */
export async function loadQrisAdapterConfig(
  env: NodeJS.ProcessEnv = process.env,
): Promise<QrisAdapterConfig> {
  const sandbox = env.SNAP_SANDBOX === "1" ? await sandboxDefaults() : undefined;
  const value = (name: string, fallback: string | undefined): string => {
    const given = env[name] ?? fallback;
    if (given === undefined || given === "")
      throw new Error(`adapter-qris: ${name} is required (or SNAP_SANDBOX=1 for the simulator)`);
    return given;
  };
  const file = (name: string, fallback: string | undefined): string => {
    const path = env[name];
    return path === undefined ? value(name, fallback) : readFileSync(path, "utf8");
  };
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const given = env[name];
    if (given === undefined || given === "") return fallback;
    const parsed = Number(given);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new Error(`adapter-qris: ${name} must be an integer ${min}-${max}, got ${JSON.stringify(given)}`);
    return parsed;
  };
  const retry = {
    maxAttempts: whole("SNAP_HTTP_MAX_ATTEMPTS", HTTP_RETRY_DEFAULTS.maxAttempts, 1, 10),
    initialDelayMs: whole("SNAP_HTTP_INITIAL_DELAY_MS", HTTP_RETRY_DEFAULTS.initialDelayMs, 0, 60_000),
    maxDelayMs: whole("SNAP_HTTP_MAX_DELAY_MS", HTTP_RETRY_DEFAULTS.maxDelayMs, 0, 600_000),
  };
  if (retry.maxDelayMs < retry.initialDelayMs)
    throw new Error("adapter-qris: SNAP_HTTP_MAX_DELAY_MS must not be below SNAP_HTTP_INITIAL_DELAY_MS");
  return {
    host: env.ADAPTER_HOST ?? "127.0.0.1",
    port: Number(env.ADAPTER_PORT ?? "50061"),
    snap: {
      baseUrl: value("SNAP_BASE_URL", undefined),
      clientId: value("SNAP_CLIENT_ID", sandbox?.clientId),
      clientSecret: value("SNAP_CLIENT_SECRET", sandbox?.clientSecret),
      partnerId: value("SNAP_PARTNER_ID", sandbox?.partnerId),
      channelId: value("SNAP_CHANNEL_ID", sandbox?.channelId),
      merchantId: value("SNAP_MERCHANT_ID", sandbox?.merchantId),
      partnerPrivateKey: file("SNAP_PRIVATE_KEY_FILE", sandbox?.partnerPrivateKey),
      retry,
    },
    bankPublicKey: file("SNAP_BANK_PUBLIC_KEY_FILE", sandbox?.bankPublicKey),
    webhookToleranceMs: whole(
      "SNAP_WEBHOOK_TOLERANCE_MS",
      DEFAULT_NOTIFICATION_TOLERANCE_MS,
      1_000,
      86_400_000,
    ),
  };
}

/** The simulator's fake credentials (sandbox/test-keys), loaded only when asked for. */
async function sandboxDefaults() {
  const { loadTestKeys } = await import("../sandbox/test-keys.ts");
  const { simulatorDefaults: defaults } = await import("../sandbox/options.ts");
  const keys = loadTestKeys();
  return {
    clientId: defaults.clientId,
    clientSecret: defaults.clientSecret,
    partnerId: defaults.partnerId,
    channelId: defaults.channelId,
    merchantId: defaults.merchant.merchantId,
    partnerPrivateKey: keys.partnerPrivateKey,
    bankPublicKey: keys.bankPublicKey,
  };
}
