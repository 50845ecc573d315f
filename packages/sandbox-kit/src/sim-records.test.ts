import { describe, expect, it } from "vitest";
import type { CallbackAttempt } from "./callback-delivery.ts";
import { createSimRecords } from "./sim-records.ts";

describe("createSimRecords", () => {
  const attempt = (status?: number): CallbackAttempt & { orderId: string } => ({
    url: "http://127.0.0.1:1/hook",
    attempt: 1,
    at: "2025-01-01T00:00:00.000Z",
    orderId: "o-1",
    ...(status === undefined ? { error: "refused" } : { status }),
  });

  it("counts requests per endpoint and hands out copies", () => {
    const records = createSimRecords();
    records.countRequest("charge");
    records.countRequest("charge");
    records.countRequest("status");
    const requests = records.requests();
    requests.charge = 99;
    expect(records.requests()).toEqual({ charge: 2, status: 1 });
  });

  it("keeps attempts oldest first and counts those a receiver took with a 2xx", () => {
    const records = createSimRecords<CallbackAttempt & { orderId: string }>();
    for (const status of [500, undefined, 204]) records.recordAttempt(attempt(status));
    expect(records.attempts().map((a) => a.status ?? a.error)).toEqual([500, "refused", 204]);
    expect(records.attemptCounts()).toEqual({ made: 3, delivered: 1 });
  });

  it("forgets everything on clear", () => {
    const records = createSimRecords();
    records.countRequest("charge");
    records.recordAttempt(attempt(200));
    records.clear();
    expect(records.requests()).toEqual({});
    expect(records.attempts()).toEqual([]);
  });
});
