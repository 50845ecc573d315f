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

  it("counts charges and requests per endpoint, handing out copies", () => {
    const records = createSimRecords();
    records.countCharge();
    records.countRequest("charge");
    records.countRequest("charge");
    records.countRequest("status");
    records.counts().requests.charge = 99;
    expect(records.counts()).toEqual({
      charges: 1,
      requests: { charge: 2, status: 1 },
      made: 0,
      delivered: 0,
    });
  });

  it("keeps attempts oldest first and counts those a receiver took with a 2xx", () => {
    const records = createSimRecords<CallbackAttempt & { orderId: string }>();
    for (const status of [500, undefined, 204]) records.recordAttempt(attempt(status));
    expect(records.attempts().map((a) => a.status ?? a.error)).toEqual([500, "refused", 204]);
    expect(records.counts()).toMatchObject({ made: 3, delivered: 1 });
  });

  it("hands its records to a restarted simulator's records, which count on from there", () => {
    const records = createSimRecords<CallbackAttempt & { orderId: string }>();
    records.countCharge();
    records.countRequest("charge");
    records.recordAttempt(attempt(204));
    const restarted = createSimRecords<CallbackAttempt & { orderId: string }>();
    restarted.restore(structuredClone(records.snapshot()));
    restarted.countRequest("charge");
    expect(restarted.counts()).toEqual({ charges: 1, requests: { charge: 2 }, made: 1, delivered: 1 });
    expect(restarted.attempts()).toEqual([attempt(204)]);
    expect(records.counts().requests).toEqual({ charge: 1 });
  });

  it("forgets everything on clear", () => {
    const records = createSimRecords();
    records.countCharge();
    records.countRequest("charge");
    records.recordAttempt(attempt(200));
    records.clear();
    expect(records.counts()).toEqual({ charges: 0, requests: {}, made: 0, delivered: 0 });
    expect(records.attempts()).toEqual([]);
  });
});
