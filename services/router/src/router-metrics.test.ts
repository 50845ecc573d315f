import { describe, expect, it } from "vitest";
import { createRouterMetrics } from "./router-metrics.ts";

describe("router metrics", () => {
  it("counts answers with a provider status their adapter does not know, per adapter", () => {
    const metrics = createRouterMetrics();
    const retry = {
      kind: "retry" as const,
      paymentId: "pay_1",
      adapter: "qris",
      attempts: 1,
      nextCheckAt: new Date(0),
      error: 'unknown provider status "42"',
    };
    metrics.resolverEvent({ ...retry, unknownProviderStatus: true });
    metrics.resolverEvent({ ...retry, unknownProviderStatus: true });
    metrics.resolverEvent({ ...retry, error: "timed out", unknownProviderStatus: false });
    const text = metrics.render([]);
    expect(text).toContain('paymesh_unknown_provider_status_total{adapter="qris"} 2\n');
    expect(text).toContain('paymesh_resolver_events_total{kind="retry"} 3\n');
  });
});
