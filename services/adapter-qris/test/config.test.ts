import { ConfigError } from "@paymesh/adapter-kit";
import { describe, expect, it } from "vitest";
import { adapterEnv, loadTestKeys, simulatorDefaults } from "../sandbox/index.ts";
import { loadConfig } from "../src/config.ts";

const sandbox = adapterEnv("http://127.0.0.1:9");

/** The ConfigError `load` throws; fails the test when it does not throw one. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig: the simulator's environment (sandbox/adapter-env.ts)", () => {
  it("gives every SNAP credential and both keys, read from their files", () => {
    const keys = loadTestKeys();
    expect(loadConfig(sandbox)).toEqual({
      host: "127.0.0.1",
      port: 50_061,
      snap: {
        baseUrl: "http://127.0.0.1:9",
        clientId: simulatorDefaults.clientId,
        clientSecret: simulatorDefaults.clientSecret,
        partnerId: simulatorDefaults.partnerId,
        channelId: simulatorDefaults.channelId,
        merchantId: simulatorDefaults.merchant.merchantId,
        partnerPrivateKey: keys.partnerPrivateKey,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 },
      },
      bankPublicKey: keys.bankPublicKey,
      webhookToleranceMs: 300_000,
    });
  });

  it("has no sandbox switch: without the credentials the first missing one is named", () => {
    const error = configError(() => loadConfig({ SNAP_SANDBOX: "1", SNAP_BASE_URL: "http://127.0.0.1:9" }));
    expect(error.variable).toBe("SNAP_CLIENT_ID");
    expect(error.message).toBe("adapter-qris: SNAP_CLIENT_ID is required");
  });

  it("names a key file that cannot be read, and a base URL that is not one", () => {
    const missing = configError(() =>
      loadConfig({ ...sandbox, SNAP_PRIVATE_KEY_FILE: "/nonexistent/key.pem" }),
    );
    expect(missing.variable).toBe("SNAP_PRIVATE_KEY_FILE");
    expect(missing.message).toContain("cannot be read: /nonexistent/key.pem (ENOENT)");
    expect(configError(() => loadConfig({ ...sandbox, SNAP_BASE_URL: "bank.example" })).variable).toBe(
      "SNAP_BASE_URL",
    );
  });

  it("reads ADAPTER_HOST and ADAPTER_PORT", () => {
    const config = loadConfig({ ...sandbox, ADAPTER_HOST: "0.0.0.0", ADAPTER_PORT: "0" });
    expect(config).toMatchObject({ host: "0.0.0.0", port: 0 });
  });
});

describe("loadConfig: upstream retry settings", () => {
  it("defaults to 3 attempts, 100 ms first backoff, 2000 ms cap", () => {
    const config = loadConfig(sandbox);
    expect(config.snap.retry).toEqual({ maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 });
  });

  it("reads SNAP_HTTP_MAX_ATTEMPTS, SNAP_HTTP_INITIAL_DELAY_MS and SNAP_HTTP_MAX_DELAY_MS", () => {
    const config = loadConfig({
      ...sandbox,
      SNAP_HTTP_MAX_ATTEMPTS: "1",
      SNAP_HTTP_INITIAL_DELAY_MS: "0",
      SNAP_HTTP_MAX_DELAY_MS: "30000",
    });
    expect(config.snap.retry).toEqual({ maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 30_000 });
  });

  it("refuses values the policy could not use, naming the variable", () => {
    const refused: Array<[Record<string, string>, string]> = [
      [{ SNAP_HTTP_MAX_ATTEMPTS: "0" }, "SNAP_HTTP_MAX_ATTEMPTS must be an integer 1–10"],
      [{ SNAP_HTTP_MAX_DELAY_MS: "1.5" }, "SNAP_HTTP_MAX_DELAY_MS must be an integer"],
      [
        { SNAP_HTTP_INITIAL_DELAY_MS: "500", SNAP_HTTP_MAX_DELAY_MS: "100" },
        "SNAP_HTTP_MAX_DELAY_MS must not be below SNAP_HTTP_INITIAL_DELAY_MS",
      ],
    ];
    for (const [env, message] of refused) expect(() => loadConfig({ ...sandbox, ...env })).toThrow(message);
  });
});

describe("loadConfig: notification replay window", () => {
  it("defaults SNAP_WEBHOOK_TOLERANCE_MS to 300000 and reads it", () => {
    expect(loadConfig(sandbox).webhookToleranceMs).toBe(300_000);
    const config = loadConfig({ ...sandbox, SNAP_WEBHOOK_TOLERANCE_MS: "60000" });
    expect(config.webhookToleranceMs).toBe(60_000);
  });

  it("refuses a tolerance that is not whole milliseconds between 1 s and a day", () => {
    for (const given of ["0", "5m", "86400001"]) {
      expect(() => loadConfig({ ...sandbox, SNAP_WEBHOOK_TOLERANCE_MS: given })).toThrow(
        "SNAP_WEBHOOK_TOLERANCE_MS must be an integer 1000–86400000",
      );
    }
  });
});
