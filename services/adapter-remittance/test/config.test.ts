import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adapterEnv, loadTestKeys, simulatorDefaults } from "../sandbox/index.ts";
import { loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("requires every credential", () => {
    expect(() => loadConfig({ WISE_BASE_URL: "https://api.example" })).toThrow("WISE_API_TOKEN is required");
    expect(() => loadConfig({})).toThrow("WISE_BASE_URL is required");
  });

  it("points at the simulator with its adapterEnv(), and defaults the port to 50064", () => {
    const config = loadConfig(adapterEnv("http://127.0.0.1:9"));
    expect(config).toEqual({
      host: "127.0.0.1",
      port: 50064,
      wise: {
        baseUrl: "http://127.0.0.1:9",
        apiToken: simulatorDefaults.apiToken,
        profileId: simulatorDefaults.profileId,
        timeoutMs: 10_000,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 },
      },
      webhookPublicKey: loadTestKeys().webhookPublicKey,
      webhookToleranceMs: 300_000,
    });
  });

  it("reads the real provider's settings and the public key from its file", () => {
    const keyFile = join(tmpdir(), `wise-public-${process.pid}.pem`);
    writeFileSync(keyFile, "-----BEGIN PUBLIC KEY-----\nFAKE\n-----END PUBLIC KEY-----\n");
    const config = loadConfig({
      WISE_BASE_URL: "https://api.sandbox.transferwise.tech",
      WISE_API_TOKEN: "FAKE-token",
      WISE_PROFILE_ID: "12345",
      WISE_WEBHOOK_PUBLIC_KEY_FILE: keyFile,
      WISE_TIMEOUT_MS: "5000",
      WISE_HTTP_MAX_ATTEMPTS: "2",
      WISE_HTTP_INITIAL_DELAY_MS: "200",
      WISE_HTTP_MAX_DELAY_MS: "10000",
      WISE_WEBHOOK_TOLERANCE_MS: "60000",
      ADAPTER_HOST: "0.0.0.0",
      ADAPTER_PORT: "0",
    });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 0,
      wise: {
        apiToken: "FAKE-token",
        profileId: "12345",
        timeoutMs: 5000,
        retry: { maxAttempts: 2, initialDelayMs: 200, maxDelayMs: 10_000 },
      },
      webhookPublicKey: expect.stringContaining("FAKE"),
      webhookToleranceMs: 60_000,
    });
    const simulator = adapterEnv("http://x");
    const refused: Array<[Record<string, string>, string]> = [
      [{ ADAPTER_PORT: "x" }, "ADAPTER_PORT"],
      [
        { WISE_PROFILE_ID: "my-profile" },
        'WISE_PROFILE_ID must be Wise\'s numeric profile id, got "my-profile"',
      ],
      [{ WISE_HTTP_MAX_ATTEMPTS: "0" }, "WISE_HTTP_MAX_ATTEMPTS must be an integer 1–10"],
      [
        { WISE_HTTP_INITIAL_DELAY_MS: "900", WISE_HTTP_MAX_DELAY_MS: "800" },
        "WISE_HTTP_MAX_DELAY_MS must not be below WISE_HTTP_INITIAL_DELAY_MS",
      ],
      [{ WISE_WEBHOOK_TOLERANCE_MS: "5m" }, "WISE_WEBHOOK_TOLERANCE_MS must be an integer 1000–86400000"],
    ];
    for (const [env, message] of refused) expect(() => loadConfig({ ...simulator, ...env })).toThrow(message);
  });
});
