import { ConfigError } from "@paymesh/adapter-kit";
import { describe, expect, it } from "vitest";
import { adapterEnv } from "../sandbox/adapter-env.ts";
import { simulatorDefaults } from "../sandbox/index.ts";
import { loadTransferAdapterConfig } from "../src/config.ts";

describe("loadTransferAdapterConfig", () => {
  it("requires the URL and every credential", () => {
    expect(() => loadTransferAdapterConfig({ XENDIT_BASE_URL: "http://127.0.0.1:1" })).toThrow(
      "XENDIT_SECRET_KEY is required",
    );
    expect(() =>
      loadTransferAdapterConfig({ XENDIT_BASE_URL: "https://api.xendit.co", XENDIT_SECRET_KEY: "xnd_x" }),
    ).toThrow("XENDIT_CALLBACK_TOKEN is required");
    expect(() => loadTransferAdapterConfig({})).toThrow("XENDIT_BASE_URL is required");
    // The switch that once filled the simulator's credentials is gone: it fills nothing.
    expect(() =>
      loadTransferAdapterConfig({ XENDIT_SANDBOX: "1", XENDIT_BASE_URL: "http://127.0.0.1:9" }),
    ).toThrow("XENDIT_SECRET_KEY is required");
  });

  it("takes the simulator's fake key and token from adapterEnv, with the defaults", () => {
    const config = loadTransferAdapterConfig(adapterEnv("http://127.0.0.1:9"));
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

  it("reads every variable when given", () => {
    const config = loadTransferAdapterConfig({
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
    const simulator = adapterEnv("http://127.0.0.1:9");
    expect(() => loadTransferAdapterConfig({ ...simulator, ADAPTER_PORT: "abc" })).toThrow(
      'ADAPTER_PORT must be an integer 0–65535, got "abc"',
    );
    expect(() => loadTransferAdapterConfig({ ...simulator, XENDIT_HTTP_MAX_ATTEMPTS: "0" })).toThrow(
      'XENDIT_HTTP_MAX_ATTEMPTS must be an integer 1–10, got "0"',
    );
    expect(() =>
      loadTransferAdapterConfig({
        ...simulator,
        XENDIT_HTTP_INITIAL_DELAY_MS: "300",
        XENDIT_HTTP_MAX_DELAY_MS: "200",
      }),
    ).toThrow("XENDIT_HTTP_MAX_DELAY_MS must not be below XENDIT_HTTP_INITIAL_DELAY_MS");
  });

  it("names the variable at fault in a ConfigError", () => {
    const simulator = adapterEnv("http://127.0.0.1:9");
    for (const [variable, value] of [
      ["XENDIT_BASE_URL", "not a url"],
      ["XENDIT_TIMEOUT_MS", "0"],
      ["XENDIT_CONFIRM_CALLBACKS", "no"],
    ] as const) {
      const thrown = (() => {
        try {
          loadTransferAdapterConfig({ ...simulator, [variable]: value });
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(thrown, variable).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).variable).toBe(variable);
    }
    expect(loadTransferAdapterConfig({ ...simulator, XENDIT_CONFIRM_CALLBACKS: "1" }).confirmCallbacks).toBe(
      true,
    );
  });
});
