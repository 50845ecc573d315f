import { describe, expect, it } from "vitest";
import { simulatorDefaults } from "../sandbox/index.ts";
import { loadVaAdapterConfig } from "./va-adapter-config.ts";

describe("loadVaAdapterConfig", () => {
  it("requires the base URL and server key for a real Midtrans account", async () => {
    await expect(loadVaAdapterConfig({})).rejects.toThrow("MIDTRANS_BASE_URL is required");
    await expect(
      loadVaAdapterConfig({ MIDTRANS_BASE_URL: "https://api.sandbox.midtrans.com" }),
    ).rejects.toThrow("MIDTRANS_SERVER_KEY is required");
    await expect(
      loadVaAdapterConfig({ MIDTRANS_BASE_URL: "not a url", MIDTRANS_SERVER_KEY: "k" }),
    ).rejects.toThrow("not a URL");
  });

  it("reads every variable, with the documented defaults", async () => {
    expect(
      await loadVaAdapterConfig({
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
    const full = await loadVaAdapterConfig({
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
    await expect(
      loadVaAdapterConfig({ MIDTRANS_BASE_URL: "http://x", MIDTRANS_SERVER_KEY: "k", ADAPTER_PORT: "http" }),
    ).rejects.toThrow("ADAPTER_PORT");
    const base = { MIDTRANS_BASE_URL: "http://x", MIDTRANS_SERVER_KEY: "k" };
    await expect(loadVaAdapterConfig({ ...base, MIDTRANS_HTTP_MAX_ATTEMPTS: "0" })).rejects.toThrow(
      "MIDTRANS_HTTP_MAX_ATTEMPTS must be an integer 1–10",
    );
    await expect(
      loadVaAdapterConfig({
        ...base,
        MIDTRANS_HTTP_INITIAL_DELAY_MS: "500",
        MIDTRANS_HTTP_MAX_DELAY_MS: "100",
      }),
    ).rejects.toThrow("MIDTRANS_HTTP_MAX_DELAY_MS must not be below MIDTRANS_HTTP_INITIAL_DELAY_MS");
  });

  it("MIDTRANS_SANDBOX=1 fills the simulator's fake server key; an explicit key still wins", async () => {
    const sandbox = await loadVaAdapterConfig({
      MIDTRANS_SANDBOX: "1",
      MIDTRANS_BASE_URL: "http://127.0.0.1:1",
    });
    expect(sandbox.midtrans.serverKey).toBe(simulatorDefaults.serverKey);
    const explicit = await loadVaAdapterConfig({
      MIDTRANS_SANDBOX: "1",
      MIDTRANS_BASE_URL: "http://127.0.0.1:1",
      MIDTRANS_SERVER_KEY: "mine",
    });
    expect(explicit.midtrans.serverKey).toBe("mine");
  });
});
