import type { XenditClientOptions } from "./xendit-client.ts";

/** Everything the transfer adapter process needs, from its environment. */
export interface TransferAdapterConfig {
  host: string;
  port: number;
  xendit: Omit<XenditClientOptions, "fetch" | "clock">;
  callbackToken: string;
  /** XENDIT_CONFIRM_CALLBACKS=0 turns off confirming callbacks with the API (default on). */
  confirmCallbacks: boolean;
}

/**
 * Reads the adapter's config. XENDIT_BASE_URL, XENDIT_SECRET_KEY and XENDIT_CALLBACK_TOKEN must be
 * given explicitly, except that XENDIT_SANDBOX=1 fills the simulator's fake key and token so a
 * local run needs only the URL. XENDIT_TIMEOUT_MS (default 10000) bounds each HTTP request;
 * XENDIT_CONFIRM_CALLBACKS=0 trusts callback bodies without asking the API (default: confirm).
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
  return {
    host: env.ADAPTER_HOST ?? "127.0.0.1",
    port: number("ADAPTER_PORT", 50063),
    xendit: {
      baseUrl: value("XENDIT_BASE_URL", undefined),
      secretKey: value("XENDIT_SECRET_KEY", sandbox?.secretKey),
      timeoutMs: number("XENDIT_TIMEOUT_MS", 10_000),
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
