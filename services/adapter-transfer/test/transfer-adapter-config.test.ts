import { describe, expect, it } from "vitest";
import { simulatorDefaults } from "../sandbox/index.ts";
import { loadTransferAdapterConfig } from "../src/transfer-adapter-config.ts";

describe("loadTransferAdapterConfig", () => {
  it("requires every credential unless XENDIT_SANDBOX=1", async () => {
    await expect(loadTransferAdapterConfig({ XENDIT_BASE_URL: "http://127.0.0.1:1" })).rejects.toThrow(
      "XENDIT_SECRET_KEY is required",
    );
    await expect(
      loadTransferAdapterConfig({ XENDIT_BASE_URL: "https://api.xendit.co", XENDIT_SECRET_KEY: "xnd_x" }),
    ).rejects.toThrow("XENDIT_CALLBACK_TOKEN is required");
    await expect(loadTransferAdapterConfig({ XENDIT_SANDBOX: "1" })).rejects.toThrow(
      "XENDIT_BASE_URL is required",
    );
  });

  it("fills the simulator's fake key and token in sandbox mode, with the defaults", async () => {
    const config = await loadTransferAdapterConfig({
      XENDIT_SANDBOX: "1",
      XENDIT_BASE_URL: "http://127.0.0.1:9",
    });
    expect(config).toEqual({
      host: "127.0.0.1",
      port: 50063,
      xendit: {
        baseUrl: "http://127.0.0.1:9",
        secretKey: simulatorDefaults.secretKey,
        timeoutMs: 10_000,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 },
      },
      callbackToken: simulatorDefaults.callbackToken,
      confirmCallbacks: true,
    });
  });

  it("reads every variable when given", async () => {
    const config = await loadTransferAdapterConfig({
      ADAPTER_HOST: "0.0.0.0",
      ADAPTER_PORT: "6000",
      XENDIT_BASE_URL: "https://api.xendit.co",
      XENDIT_SECRET_KEY: "xnd_development_x",
      XENDIT_CALLBACK_TOKEN: "token",
      XENDIT_TIMEOUT_MS: "2500",
      XENDIT_CONFIRM_CALLBACKS: "0",
      XENDIT_HTTP_MAX_ATTEMPTS: "4",
      XENDIT_HTTP_INITIAL_DELAY_MS: "250",
      XENDIT_HTTP_MAX_DELAY_MS: "5000",
    });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 6000,
      xendit: {
        secretKey: "xnd_development_x",
        timeoutMs: 2500,
        retry: { maxAttempts: 4, initialDelayMs: 250, maxDelayMs: 5_000 },
      },
      callbackToken: "token",
      confirmCallbacks: false,
    });
    await expect(loadTransferAdapterConfig({ ADAPTER_PORT: "abc", XENDIT_SANDBOX: "1" })).rejects.toThrow(
      "ADAPTER_PORT must be a whole number",
    );
    const sandbox = { XENDIT_SANDBOX: "1", XENDIT_BASE_URL: "http://127.0.0.1:9" };
    await expect(loadTransferAdapterConfig({ ...sandbox, XENDIT_HTTP_MAX_ATTEMPTS: "0" })).rejects.toThrow(
      "XENDIT_HTTP_MAX_ATTEMPTS must be 1 to 10",
    );
    await expect(
      loadTransferAdapterConfig({
        ...sandbox,
        XENDIT_HTTP_INITIAL_DELAY_MS: "300",
        XENDIT_HTTP_MAX_DELAY_MS: "200",
      }),
    ).rejects.toThrow("XENDIT_HTTP_MAX_DELAY_MS must not be below XENDIT_HTTP_INITIAL_DELAY_MS");
  });
});
