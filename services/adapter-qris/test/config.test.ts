import { describe, expect, it } from "vitest";
import { loadQrisAdapterConfig } from "./qris-adapter-config.ts";

const sandbox = { SNAP_SANDBOX: "1", SNAP_BASE_URL: "http://127.0.0.1:9" };

describe("loadQrisAdapterConfig: upstream retry settings", () => {
  it("defaults to 3 attempts, 100 ms first backoff, 2000 ms cap", async () => {
    const config = await loadQrisAdapterConfig(sandbox);
    expect(config.snap.retry).toEqual({ maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000 });
  });

  it("reads SNAP_HTTP_MAX_ATTEMPTS, SNAP_HTTP_INITIAL_DELAY_MS and SNAP_HTTP_MAX_DELAY_MS", async () => {
    const config = await loadQrisAdapterConfig({
      ...sandbox,
      SNAP_HTTP_MAX_ATTEMPTS: "1",
      SNAP_HTTP_INITIAL_DELAY_MS: "0",
      SNAP_HTTP_MAX_DELAY_MS: "30000",
    });
    expect(config.snap.retry).toEqual({ maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 30_000 });
  });

  it("refuses values the policy could not use, naming the variable", async () => {
    await expect(loadQrisAdapterConfig({ ...sandbox, SNAP_HTTP_MAX_ATTEMPTS: "0" })).rejects.toThrow(
      "SNAP_HTTP_MAX_ATTEMPTS must be an integer 1-10",
    );
    await expect(loadQrisAdapterConfig({ ...sandbox, SNAP_HTTP_MAX_DELAY_MS: "1.5" })).rejects.toThrow(
      "SNAP_HTTP_MAX_DELAY_MS must be an integer",
    );
    await expect(
      loadQrisAdapterConfig({ ...sandbox, SNAP_HTTP_INITIAL_DELAY_MS: "500", SNAP_HTTP_MAX_DELAY_MS: "100" }),
    ).rejects.toThrow("SNAP_HTTP_MAX_DELAY_MS must not be below SNAP_HTTP_INITIAL_DELAY_MS");
  });
});

describe("loadQrisAdapterConfig: notification replay window", () => {
  it("defaults SNAP_WEBHOOK_TOLERANCE_MS to 300000 and reads it", async () => {
    expect((await loadQrisAdapterConfig(sandbox)).webhookToleranceMs).toBe(300_000);
    const config = await loadQrisAdapterConfig({ ...sandbox, SNAP_WEBHOOK_TOLERANCE_MS: "60000" });
    expect(config.webhookToleranceMs).toBe(60_000);
  });

  it("refuses a tolerance that is not whole milliseconds between 1 s and a day", async () => {
    for (const given of ["0", "5m", "86400001"]) {
      await expect(loadQrisAdapterConfig({ ...sandbox, SNAP_WEBHOOK_TOLERANCE_MS: given })).rejects.toThrow(
        "SNAP_WEBHOOK_TOLERANCE_MS must be an integer 1000-86400000",
      );
    }
  });
});
