import { describe, expect, it } from "vitest";
import { resolveRouterConfig } from "./router-config.ts";

const callers = { checkout: "checkout-token-0123456789" };

describe("resolveRouterConfig", () => {
  it("fills the webhook, event and operator defaults the README documents", () => {
    const config = resolveRouterConfig({ callers });
    expect(config.webhooks).toEqual({
      retryDelaysMs: [1_000, 5_000, 30_000, 120_000],
      maxAttempts: 6,
      consumers: 4,
      enqueueTimeoutMs: 5_000,
    });
    expect(config.events).toEqual({ relayIntervalMs: 200, retentionMs: 7 * 24 * 60 * 60 * 1000 });
    expect(config.operators).toEqual({});
  });

  it("keeps what the config gives", () => {
    const config = resolveRouterConfig({
      callers,
      operators: { ops: "operator-token-0123456789" },
      webhooks: { maxAttempts: 3, consumers: 1 },
      events: { relayIntervalMs: 50 },
    });
    expect(config.webhooks).toMatchObject({
      maxAttempts: 3,
      consumers: 1,
      retryDelaysMs: [1_000, 5_000, 30_000, 120_000],
    });
    expect(config.events.relayIntervalMs).toBe(50);
    expect(config.operators).toEqual({ ops: "operator-token-0123456789" });
  });

  it.each([0, -1, 1.5])("refuses webhooks.consumers %s, naming the field", (consumers) => {
    expect(() => resolveRouterConfig({ callers, webhooks: { consumers } })).toThrow(
      "router config: webhooks.consumers must be a positive integer",
    );
  });
});
