// A QR generation the bank answered with a 5xx is settled by asking the bank; when that question
// cannot even be sent, the generate request still reached the bank, so the outcome stays unknown.
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, newPaymentId, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason } from "@paymesh/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type QrisHarness, startHarness } from "./harness.ts";

/** globalThis.fetch, except that the QR status query meets a refused connection. */
const queryRefused: typeof fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.includes("qr-mpm-query")) return globalThis.fetch(input, init);
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
  return Promise.reject(new TypeError("fetch failed", { cause: refused }));
};

let harness: QrisHarness;
beforeAll(async () => {
  harness = await startHarness({ client: { fetch: queryRefused, retry: { maxAttempts: 1 } } });
});
afterAll(() => harness.close());

describe("CreatePayment settled by the bank's record", () => {
  it("a 5xx to generate, then a status query that cannot connect: OUTCOME_UNKNOWN, never 'not reached'", async () => {
    harness.simulator.configure({ failNext: { count: 1, responseCode: "5034700" } });
    const request = {
      paymentId: newPaymentId(),
      amount: { currency: "IDR", minorUnits: 25_000_00n },
      method: { case: "qris" as const, value: { terminalLabel: "KASIR-01" } },
    };
    const error = await rejection(harness.client.createPayment(request, deadline()));
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(error.neverReachedProvider).toBe(false);
    expect(harness.simulator.stats().requests).toMatchObject({ "qr-mpm-generate": 1 });
  });
});
