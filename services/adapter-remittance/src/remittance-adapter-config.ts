import { readFileSync } from "node:fs";
import { HTTP_RETRY_DEFAULTS } from "@paymesh/resilience";
import type { WiseClientOptions } from "./wise-client.ts";
import { DEFAULT_WEBHOOK_TOLERANCE_MS } from "./wise-webhook.ts";

/** Everything the remittance adapter process needs, from its environment. */
export interface RemittanceAdapterConfig {
  host: string;
  port: number;
  wise: Omit<WiseClientOptions, "fetch" | "clock" | "retry"> & {
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
  /** PEM of the key Wise signs webhooks with. */
  webhookPublicKey: string;
  /** How far a webhook's signed `sent_at` may be from our clock (RemittanceProviderOptions). */
  webhookToleranceMs: number;
}

/**
 * Reads the adapter's config. WISE_BASE_URL is always required; WISE_API_TOKEN, WISE_PROFILE_ID
 * and WISE_WEBHOOK_PUBLIC_KEY_FILE too, except that WISE_SANDBOX=1 fills the simulator's fake
 * token, profile and test key so a local run needs only the URL. WISE_TIMEOUT_MS is optional, and
 * so is the upstream retry backoff: WISE_HTTP_MAX_ATTEMPTS (calls in total, default 3; 1 = no
 * retries), WISE_HTTP_INITIAL_DELAY_MS (default 100), WISE_HTTP_MAX_DELAY_MS (cap on any wait, a
 * Retry-After included; default 2000). WISE_WEBHOOK_TOLERANCE_MS (default 300000) is how far a
 * webhook's signed `sent_at` may be from our clock, either way, before it is refused as a replay.
 */
export async function loadRemittanceAdapterConfig(
  env: NodeJS.ProcessEnv = process.env,
): Promise<RemittanceAdapterConfig> {
  const sandbox = env.WISE_SANDBOX === "1" ? await sandboxDefaults() : undefined;
  const value = (name: string, fallback: string | undefined): string => {
    const given = env[name] || fallback;
    if (given === undefined || given === "") {
      throw new Error(`adapter-remittance: ${name} is required (or WISE_SANDBOX=1 for the simulator)`);
    }
    return given;
  };
  const port = Number(env.ADAPTER_PORT ?? "50064");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(
      `adapter-remittance: ADAPTER_PORT must be 0-65535, got ${JSON.stringify(env.ADAPTER_PORT)}`,
    );
  }
  const timeoutMs = Number(env.WISE_TIMEOUT_MS ?? "10000");
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(
      `adapter-remittance: WISE_TIMEOUT_MS must be a positive integer, got ${JSON.stringify(env.WISE_TIMEOUT_MS)}`,
    );
  }
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const given = env[name];
    if (given === undefined || given === "") return fallback;
    const parsed = Number(given);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new Error(
        `adapter-remittance: ${name} must be an integer ${min}-${max}, got ${JSON.stringify(given)}`,
      );
    }
    return parsed;
  };
  const retry = {
    maxAttempts: whole("WISE_HTTP_MAX_ATTEMPTS", HTTP_RETRY_DEFAULTS.maxAttempts, 1, 10),
    initialDelayMs: whole("WISE_HTTP_INITIAL_DELAY_MS", HTTP_RETRY_DEFAULTS.initialDelayMs, 0, 60_000),
    maxDelayMs: whole("WISE_HTTP_MAX_DELAY_MS", HTTP_RETRY_DEFAULTS.maxDelayMs, 0, 600_000),
  };
  if (retry.maxDelayMs < retry.initialDelayMs) {
    throw new Error(
      "adapter-remittance: WISE_HTTP_MAX_DELAY_MS must not be below WISE_HTTP_INITIAL_DELAY_MS",
    );
  }
  const baseUrl = value("WISE_BASE_URL", undefined);
  const apiToken = value("WISE_API_TOKEN", sandbox?.apiToken);
  const profileId = value("WISE_PROFILE_ID", sandbox?.profileId);
  // Wise profile ids are numbers, and go into request bodies as JSON numbers.
  if (!/^\d+$/.test(profileId)) {
    throw new Error(
      `adapter-remittance: WISE_PROFILE_ID must be Wise's numeric profile id, got ${JSON.stringify(profileId)}`,
    );
  }
  const keyFile = env.WISE_WEBHOOK_PUBLIC_KEY_FILE;
  return {
    host: env.ADAPTER_HOST ?? "127.0.0.1",
    port,
    wise: {
      baseUrl,
      apiToken,
      profileId,
      timeoutMs,
      retry,
    },
    webhookPublicKey: keyFile
      ? readFileSync(keyFile, "utf8")
      : value("WISE_WEBHOOK_PUBLIC_KEY_FILE", sandbox?.webhookPublicKey),
    webhookToleranceMs: whole("WISE_WEBHOOK_TOLERANCE_MS", DEFAULT_WEBHOOK_TOLERANCE_MS, 1_000, 86_400_000),
  };
}

/** The simulator's fake credentials (sandbox/), loaded only when asked for. */
async function sandboxDefaults() {
  const { loadTestKeys } = await import("../sandbox/test-keys.ts");
  const { simulatorDefaults } = await import("../sandbox/options.ts");
  return {
    apiToken: simulatorDefaults.apiToken,
    profileId: simulatorDefaults.profileId,
    webhookPublicKey: loadTestKeys().webhookPublicKey,
  };
}
