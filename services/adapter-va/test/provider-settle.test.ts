// A charge Midtrans answered with a 5xx is settled by asking its status API; when that question
// cannot even be sent, the charge still reached Midtrans (here it did create the VA), so the
// outcome stays unknown and the router must not send the payment elsewhere.
import { GrpcCode, isPaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, vaPayment } from "./harness.ts";

/** globalThis.fetch, except that the status API meets a refused connection. */
const statusRefused: typeof fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.endsWith("/status")) return globalThis.fetch(input, init);
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
  return Promise.reject(new TypeError("fetch failed", { cause: refused }));
};

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ client: { fetch: statusRefused, retry: { maxAttempts: 1 } } });
});
afterAll(() => harness.close());

describe("CreatePayment settled by Midtrans's status API", () => {
  it("a 504 after the VA was created, then a status call that cannot connect: OUTCOME_UNKNOWN", async () => {
    const deadline = { deadline: new Date(Date.now() + 10_000) };
    const error = await harness.client.createPayment(vaPayment(10_504n), deadline).catch((e: unknown) => e);
    if (!isPaymeshError(error)) throw new Error("expected the call to fail with a PaymeshError");
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(error.neverReachedProvider).toBe(false);
    expect(harness.simulator.stats().charges).toBe(1);
  });
});
