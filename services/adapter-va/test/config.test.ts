import { ConfigError } from "@paymesh/adapter-kit";
import { describe, expect, it } from "vitest";
import { adapterEnv, simulatorDefaults } from "../sandbox/index.ts";
import { loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("requires the base URL and server key for a real Midtrans account", () => {
    expect(() => loadConfig({})).toThrow("MIDTRANS_BASE_URL is required");
    expect(() => loadConfig({ MIDTRANS_BASE_URL: "https://api.sandbox.midtrans.com" })).toThrow(
      "MIDTRANS_SERVER_KEY is required",
    );
    expect(() => loadConfig({ MIDTRANS_BASE_URL: "not a url", MIDTRANS_SERVER_KEY: "k" })).toThrow(
      "not a URL",
    );
  });

  it("reads every variable, with the documented defaults", () => {
    expect(
      loadConfig({
        MIDTRANS_BASE_URL: "https://api.sandbox.midtrans.com",
        MIDTRANS_SERVER_KEY: "SB-Mid-server-x",
      }),
    ).toEqual({
      host: "127.0.0.1",
      port: 50_062,
      midtrans: {
        baseUrl: "https://api.sandbox.midtrans.com",
        serverKey: "SB-Mid-server-x",
        timeoutMs: 10_000,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 },
      },
    });
    const full = loadConfig({
      MIDTRANS_BASE_URL: "https://api.midtrans.com",
      MIDTRANS_SERVER_KEY: "Mid-server-x",
      MIDTRANS_NOTIFICATION_URL: "https://paymesh.example/webhooks/va",
      MIDTRANS_TIMEOUT_MS: "5000",
      MIDTRANS_HTTP_MAX_ATTEMPTS: "5",
      MIDTRANS_HTTP_INITIAL_DELAY_MS: "50",
      MIDTRANS_HTTP_MAX_DELAY_MS: "8000",
      ADAPTER_HOST: "0.0.0.0",
      ADAPTER_PORT: "0",
    });
    expect(full).toEqual({
      host: "0.0.0.0",
      port: 0,
      midtrans: {
        baseUrl: "https://api.midtrans.com",
        serverKey: "Mid-server-x",
        timeoutMs: 5000,
        retry: { maxAttempts: 5, initialDelayMs: 50, maxDelayMs: 8_000 },
        overrideNotificationUrl: "https://paymesh.example/webhooks/va",
      },
    });
    const base = { MIDTRANS_BASE_URL: "http://x", MIDTRANS_SERVER_KEY: "k" };
    const refused: Array<[Record<string, string>, string]> = [
      [{ ADAPTER_PORT: "http" }, "ADAPTER_PORT"],
      [{ MIDTRANS_HTTP_MAX_ATTEMPTS: "0" }, "MIDTRANS_HTTP_MAX_ATTEMPTS must be an integer 1–10"],
      [
        { MIDTRANS_HTTP_INITIAL_DELAY_MS: "500", MIDTRANS_HTTP_MAX_DELAY_MS: "100" },
        "MIDTRANS_HTTP_MAX_DELAY_MS must not be below MIDTRANS_HTTP_INITIAL_DELAY_MS",
      ],
    ];
    for (const [env, message] of refused) expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it("names the variable at fault on the error", () => {
    const error = (() => {
      try {
        loadConfig({ MIDTRANS_BASE_URL: "http://x", MIDTRANS_SERVER_KEY: "k", MIDTRANS_TIMEOUT_MS: "0" });
      } catch (caught) {
        return caught;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable: "MIDTRANS_TIMEOUT_MS" });
  });

  it("the simulator's adapterEnv is a complete config with its fake server key; no switch fills one in", () => {
    const local = loadConfig(adapterEnv("http://127.0.0.1:1"));
    expect(local.midtrans).toMatchObject({
      baseUrl: "http://127.0.0.1:1",
      serverKey: simulatorDefaults.serverKey,
    });
    expect(local.midtrans.overrideNotificationUrl).toBeUndefined();
    expect(() => loadConfig({ MIDTRANS_SANDBOX: "1", MIDTRANS_BASE_URL: "http://127.0.0.1:1" })).toThrow(
      "MIDTRANS_SERVER_KEY is required",
    );
  });
});
