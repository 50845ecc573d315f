import { HTTP_RETRY_DEFAULTS } from "@paymesh/resilience";
import type { MidtransClientOptions } from "./midtrans-client.ts";

/** Everything the VA adapter process needs, from its environment. */
export interface VaAdapterConfig {
  host: string;
  port: number;
  midtrans: Omit<MidtransClientOptions, "fetch" | "clock" | "retry"> & {
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
}

/**
 * Reads the adapter's config. MIDTRANS_BASE_URL and MIDTRANS_SERVER_KEY must be given
 * explicitly, except that MIDTRANS_SANDBOX=1 fills the simulator's fake server key so a local
 * run needs only the URL. Optional: MIDTRANS_NOTIFICATION_URL (sent as X-Override-Notification),
 * MIDTRANS_TIMEOUT_MS (default 10000), ADAPTER_HOST (default 127.0.0.1), ADAPTER_PORT (default 50062),
 * and the upstream retry backoff: MIDTRANS_HTTP_MAX_ATTEMPTS (calls in total, default 3; 1 = no
 * retries), MIDTRANS_HTTP_INITIAL_DELAY_MS (default 100), MIDTRANS_HTTP_MAX_DELAY_MS (cap on any
 * wait, a Retry-After included; default 2000).
 */
export async function loadVaAdapterConfig(env: NodeJS.ProcessEnv = process.env): Promise<VaAdapterConfig> {
  const sandbox = env.MIDTRANS_SANDBOX === "1" ? await sandboxDefaults() : undefined;
  const value = (name: string, fallback: string | undefined): string => {
    const given = env[name] ?? fallback;
    if (given === undefined || given === "") {
      throw new Error(`adapter-va: ${name} is required (or MIDTRANS_SANDBOX=1 for the simulator)`);
    }
    return given;
  };
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const given = env[name];
    if (given === undefined || given === "") return fallback;
    const parsed = Number(given);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new Error(`adapter-va: ${name} must be an integer ${min}–${max}, got ${JSON.stringify(given)}`);
    }
    return parsed;
  };
  const baseUrl = value("MIDTRANS_BASE_URL", undefined);
  if (!URL.canParse(baseUrl)) throw new Error(`adapter-va: MIDTRANS_BASE_URL is not a URL: ${baseUrl}`);
  const notificationUrl = env.MIDTRANS_NOTIFICATION_URL;
  const retry = {
    maxAttempts: number("MIDTRANS_HTTP_MAX_ATTEMPTS", HTTP_RETRY_DEFAULTS.maxAttempts, 1, 10),
    initialDelayMs: number("MIDTRANS_HTTP_INITIAL_DELAY_MS", HTTP_RETRY_DEFAULTS.initialDelayMs, 0, 60_000),
    maxDelayMs: number("MIDTRANS_HTTP_MAX_DELAY_MS", HTTP_RETRY_DEFAULTS.maxDelayMs, 0, 600_000),
  };
  if (retry.maxDelayMs < retry.initialDelayMs) {
    throw new Error(
      "adapter-va: MIDTRANS_HTTP_MAX_DELAY_MS must not be below MIDTRANS_HTTP_INITIAL_DELAY_MS",
    );
  }
  return {
    host: env.ADAPTER_HOST ?? "127.0.0.1",
    port: number("ADAPTER_PORT", 50_062, 0, 65_535),
    midtrans: {
      baseUrl,
      serverKey: value("MIDTRANS_SERVER_KEY", sandbox?.serverKey),
      timeoutMs: number("MIDTRANS_TIMEOUT_MS", 10_000, 1, 600_000),
      retry,
      ...(notificationUrl === undefined || notificationUrl === ""
        ? {}
        : { overrideNotificationUrl: notificationUrl }),
    },
  };
}

/** The simulator's fake credentials, loaded only when asked for. */
async function sandboxDefaults(): Promise<{ serverKey: string }> {
  const { simulatorDefaults } = await import("../sandbox/options.ts");
  return { serverKey: simulatorDefaults.serverKey };
}
