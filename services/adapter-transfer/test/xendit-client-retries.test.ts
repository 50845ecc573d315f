// The rule table of xendit-client.ts at work inside the transfer adapter: which Xendit calls are
// repeated, after what, and what the adapter answers. Asserted on the simulator's counters and
// the adapter's answers.
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { HttpRetryEvent } from "@paymesh/resilience";
import { type ScriptedReply, startScriptedProxy } from "@paymesh/sandbox-kit";
import { useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { simulatorDefaults } from "../sandbox/index.ts";
import { createXenditClient } from "../src/xendit-client.ts";
import { startHarness, transferRequest } from "./harness.ts";

const rateLimited = (retryAfter: string): ScriptedReply => ({
  status: 429,
  headers: { "retry-after": retryAfter },
  body: '{"error_code":"RATE_LIMIT_EXCEEDED","message":"Too many requests"}',
});

let events: HttpRetryEvent[] = [];

const proxy = useFixture(() => startScriptedProxy());
const h = useFixture(
  async () => {
    const harness = await startHarness({
      xendit: {
        baseUrl: proxy().url,
        retry: { initialDelayMs: 1, maxDelayMs: 5, onEvent: (e) => events.push(e) },
      },
    });
    proxy().forwardTo(harness.simulator.url);
    return harness;
  },
  (harness) => {
    harness.simulator.reset();
    events = [];
  },
);

describe("CreatePayment: POST /disbursements, keyed by X-IDEMPOTENCY-KEY", () => {
  it("a gateway 503 then success: retried with the same key, one payout, PROCESSING", async () => {
    proxy().on("POST /disbursements", () => ({ status: 503, body: "<html>503 Service Unavailable</html>" }));
    const { payment, exchanges } = await h().client.createPayment(transferRequest(), deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(exchanges.map((e) => e.responseStatus)).toEqual([503, 200]);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { "create-disbursement": 1 } });
    expect(events).toMatchObject([{ name: "xendit", attempt: 1, status: 503, retryAfterMs: undefined }]);
  });

  it("Xendit's SERVER_ERROR then success: the same key twice at Xendit, still one payout", async () => {
    await h().simulator.configure({ failNext: { count: 1, error_code: "SERVER_ERROR" } });
    const { payment } = await h().client.createPayment(transferRequest(), deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { "create-disbursement": 2 } });
  });

  it("a 429 with Retry-After: 1 waits 1000 ms, unless the configured cap is lower", async () => {
    proxy().on("POST /disbursements", () => rateLimited("1"));
    const seen: HttpRetryEvent[] = [];
    const caller = new AbortController();
    const patient = createXenditClient({
      baseUrl: proxy().url,
      secretKey: simulatorDefaults.secretKey,
      retry: {
        maxDelayMs: 5_000,
        // Read the chosen delay, then give up rather than sit through it: the last answer returns.
        onEvent: (event) => {
          seen.push(event);
          caller.abort();
        },
      },
    });
    const request = transferRequest();
    const answer = await patient.createDisbursement({
      idempotencyKey: request.paymentId,
      externalId: request.paymentId,
      amount: 150_000n,
      bankCode: "BCA",
      accountHolderName: "Budi Santoso",
      accountNumber: "1234567890",
      description: "Payout",
      signal: caller.signal,
    });
    expect(answer).toMatchObject({ ok: false, httpStatus: 429, errorCode: "RATE_LIMIT_EXCEEDED" });
    expect(seen).toMatchObject([{ attempt: 1, status: 429, delayMs: 1_000, retryAfterMs: 1_000 }]);

    // The adapter's cap is 5 ms: it waits 5 ms, and the retry reaches Xendit. One payout.
    proxy().on("POST /disbursements", () => rateLimited("1"));
    const { payment, exchanges } = await h().client.createPayment(transferRequest(), deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(exchanges.map((e) => e.responseStatus)).toEqual([429, 200]);
    expect(events).toMatchObject([{ status: 429, delayMs: 5, retryAfterMs: 1_000 }]);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { "create-disbursement": 1 } });
  });

  it("a 5xx carrying the disbursement is not retried: the lookup returns that payout", async () => {
    // The payout is made; the answer comes back as a 500 with the disbursement in it.
    proxy().on("POST /disbursements", async (forward) => ({ ...(await forward()), status: 500 }));
    const { payment, exchanges } = await h().client.createPayment(transferRequest(), deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
      "createDisbursement 500",
      "findDisbursements 200",
    ]);
    expect(events).toEqual([]);
    expect(h().simulator.stats()).toMatchObject({
      charges: 1,
      requests: { "create-disbursement": 1, "get-disbursements-by-external-id": 1 },
    });
  });

  it("a DUPLICATE_TRANSACTION_ERROR is never repeated", async () => {
    const request = transferRequest();
    await h().client.createPayment(request, deadline());
    const again = await h().client.createPayment(request, deadline());
    expect(again.exchanges.map((e) => e.operation)).toEqual(["createDisbursement", "findDisbursements"]);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { "create-disbursement": 2 } });
    expect(events).toEqual([]);
  });

  it("a connection reset after sending is not retried: the outcome is left to the router", async () => {
    await h().simulator.configure({ resetConnections: 1 });
    const error = await rejection(h().client.createPayment(transferRequest(), deadline()));
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(h().simulator.stats().requests).toMatchObject({ "create-disbursement": 1 });
    expect(events).toEqual([]);
  });
});

describe("reads: GET /disbursements", () => {
  it("retries a SERVER_ERROR, and a lost answer", async () => {
    const request = transferRequest();
    await h().client.createPayment(request, deadline());
    await h().simulator.configure({ failNext: { count: 1, error_code: "SERVER_ERROR" } });
    const status = await h().client.getPaymentStatus({ paymentId: request.paymentId }, deadline());
    expect(status.payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(status.exchanges.map((e) => e.responseStatus)).toEqual([500, 200]);

    await h().simulator.configure({ resetConnections: 1 });
    const again = await h().client.getPaymentStatus({ paymentId: request.paymentId }, deadline());
    expect(again.payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(again.exchanges.map((e) => e.transportError !== "")).toEqual([true, false]);
    expect(h().simulator.stats()).toMatchObject({
      charges: 1,
      requests: { "create-disbursement": 1, "get-disbursements-by-external-id": 4 },
    });
  });

  it("gives up after the configured attempts with UNAVAILABLE", async () => {
    await h().simulator.configure({ failNext: { count: 3, error_code: "SERVER_ERROR" } });
    const error = await rejection(
      h().client.getPaymentStatus({ paymentId: transferRequest().paymentId }, deadline()),
    );
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_UNAVAILABLE });
    expect(h().simulator.stats().requests).toEqual({ "get-disbursements-by-external-id": 3 });
  });
});
