import { HTTP_RETRY_DEFAULTS } from "@paymesh/resilience";
import type { XenditClientOptions } from "./xendit-client.ts";

/** Everything the transfer adapter process needs, from its environment. */
export interface TransferAdapterConfig {
  host: string;
  port: number;
  xendit: Omit<XenditClientOptions, "fetch" | "clock" | "retry"> & {
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  };
  callbackToken: string;
  /** XENDIT_CONFIRM_CALLBACKS=0 turns off confirming callbacks with the API (default on). */
  confirmCallbacks: boolean;
}

/**
 * Reads the adapter's config. XENDIT_BASE_URL, XENDIT_SECRET_KEY and XENDIT_CALLBACK_TOKEN must be
 * given explicitly, except that XENDIT_SANDBOX=1 fills the simulator's fake key and token so a
 * local run needs only the URL. XENDIT_TIMEOUT_MS (default 10000) bounds each HTTP request;
 * XENDIT_CONFIRM_CALLBACKS=0 trusts callback bodies without asking the API (default: confirm).
 * The upstream retry backoff: XENDIT_HTTP_MAX_ATTEMPTS (calls in total, default 3; 1 = no
 * retries), XENDIT_HTTP_INITIAL_DELAY_MS (default 100), XENDIT_HTTP_MAX_DELAY_MS (cap on any wait,
 * a Retry-After included; default 2000).
 */
export async function loadTransferAdapterConfig(
  env: NodeJS.ProcessEnv = process.env,
): Promise<TransferAdapterConfig> {
  const sandbox = env.XENDIT_SANDBOX === "1" ? await sandboxDefaults() : undefined;
  const value = (name: string, fallback: string | undefined): string => {
    const given = env[name] ?? fallback;
    if (given === undefined || given === "")
      throw new Error(`adapter-transfer: ${name} is required (or XENDIT_SANDBOX=1 for the simulator)`);
    return given;
  };
  const number = (name: string, fallback: number): number => {
    const given = env[name];
    if (given === undefined || given === "") return fallback;
    const parsed = Number(given);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new Error(`adapter-transfer: ${name} must be a whole number`);
    return parsed;
  };
  const retry = {
    maxAttempts: number("XENDIT_HTTP_MAX_ATTEMPTS", HTTP_RETRY_DEFAULTS.maxAttempts),
    initialDelayMs: number("XENDIT_HTTP_INITIAL_DELAY_MS", HTTP_RETRY_DEFAULTS.initialDelayMs),
    maxDelayMs: number("XENDIT_HTTP_MAX_DELAY_MS", HTTP_RETRY_DEFAULTS.maxDelayMs),
  };
  if (retry.maxAttempts < 1 || retry.maxAttempts > 10)
    throw new Error("adapter-transfer: XENDIT_HTTP_MAX_ATTEMPTS must be 1 to 10");
  if (retry.maxDelayMs < retry.initialDelayMs)
    throw new Error(
      "adapter-transfer: XENDIT_HTTP_MAX_DELAY_MS must not be below XENDIT_HTTP_INITIAL_DELAY_MS",
    );
  return {
    host: env.ADAPTER_HOST ?? "127.0.0.1",
    port: number("ADAPTER_PORT", 50063),
    xendit: {
      baseUrl: value("XENDIT_BASE_URL", undefined),
      secretKey: value("XENDIT_SECRET_KEY", sandbox?.secretKey),
      timeoutMs: number("XENDIT_TIMEOUT_MS", 10_000),
      retry,
    },
    callbackToken: value("XENDIT_CALLBACK_TOKEN", sandbox?.callbackToken),
    confirmCallbacks: env.XENDIT_CONFIRM_CALLBACKS !== "0",
  };
}

/** The simulator's fake credentials, loaded only when asked for. */
async function sandboxDefaults() {
  const { simulatorDefaults } = await import("../sandbox/options.ts");
  return { secretKey: simulatorDefaults.secretKey, callbackToken: simulatorDefaults.callbackToken };
}
