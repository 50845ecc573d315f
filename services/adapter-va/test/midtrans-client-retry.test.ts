// The client's rule table at work inside the VA adapter: what Midtrans calls are repeated, after
// what, and what the adapter answers. Asserted on the simulator's counters and the adapter's answers.
import { GrpcCode, isProviderTransportError } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { HttpRetryEvent } from "@paymesh/resilience";
import { type ScriptedReply, startScriptedProxy } from "@paymesh/sandbox-kit";
import { unusedPort, useFixture } from "@paymesh/test-kit";
import { beforeEach, describe, expect, it } from "vitest";
import { simulatorDefaults } from "../sandbox/index.ts";
import { createMidtransClient } from "../src/midtrans-client.ts";
import type { ChargeRequest } from "../src/midtrans-wire.ts";
import { startHarness, vaPayment } from "./harness.ts";

const fast = { initialDelayMs: 1, maxDelayMs: 5 };
let events: HttpRetryEvent[];

const rateLimited = (retryAfter: string): ScriptedReply => ({
  status: 429,
  headers: { "retry-after": retryAfter },
  body: '{"status_code":"429","status_message":"Too many requests"}',
});

const h = useFixture(
  () => startHarness({ client: { retry: { ...fast, onEvent: (event) => events.push(event) } } }),
  (harness) => {
    harness.simulator.reset();
    events = [];
  },
);

describe("CreatePayment: POST /v2/charge, keyed by order_id", () => {
  it("a 503 then success: retried with the same order_id, one charge, the VA is returned", async () => {
    h().simulator.configure({ failNext: { count: 1, statusCode: "503" } });
    const { payment, exchanges } = await h().client.createPayment(vaPayment(25_000n), deadline());
    expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual(["charge 503", "charge 200"]);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { charge: 2 } });
    expect(events).toMatchObject([{ name: "midtrans", attempt: 1, status: 503 }]);
  });

  it("a 429 with Retry-After: 1 waits 1000 ms, unless the configured cap is lower", async () => {
    const proxy = await startScriptedProxy(h().simulator.url);
    proxy.on(
      "POST /v2/charge",
      () => rateLimited("1"),
      () => rateLimited("1"),
    );
    try {
      const seen: HttpRetryEvent[] = [];
      const caller = new AbortController();
      const patient = createMidtransClient({
        baseUrl: proxy.url,
        serverKey: simulatorDefaults.serverKey,
        retry: {
          maxDelayMs: 5_000,
          // Read the chosen delay, then give up rather than sit through it: the last answer returns.
          onEvent: (event) => {
            seen.push(event);
            caller.abort();
          },
        },
      });
      const request = vaPayment(25_000n);
      const charge: ChargeRequest = {
        payment_type: "bank_transfer",
        transaction_details: { order_id: request.paymentId, gross_amount: 25_000 },
        bank_transfer: { bank: "bca" },
      };
      const answer = await patient.charge(charge, caller.signal);
      expect(answer).toMatchObject({ ok: false, statusCode: "429", httpStatus: 429 });
      expect(seen).toMatchObject([{ attempt: 1, status: 429, delayMs: 1_000, retryAfterMs: 1_000 }]);

      // Capped at 5 ms, the wait is 5 ms and the retry reaches the simulator: one charge.
      const capped = createMidtransClient({
        baseUrl: proxy.url,
        serverKey: simulatorDefaults.serverKey,
        retry: { initialDelayMs: 1, maxDelayMs: 5, onEvent: (event) => seen.push(event) },
      });
      const created = await capped.charge(charge);
      expect(created).toMatchObject({ ok: true, statusCode: "201" });
      expect(seen[1]).toMatchObject({ status: 429, delayMs: 5, retryAfterMs: 1_000 });
      expect(created.exchanges.map((e) => e.responseStatus)).toEqual([429, 200]);
      expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { charge: 1 } });
    } finally {
      await proxy.close();
    }
  });

  it("a 5xx whose body names a transaction is not retried: the status API returns the VA", async () => {
    // The charge reaches Midtrans and is made; the answer comes back as a 500 carrying its id.
    const proxy = await startScriptedProxy(h().simulator.url);
    proxy.on("POST /v2/charge", async (forward) => {
      const made = JSON.parse((await forward()).body) as { transaction_id: string };
      return {
        status: 500,
        body: JSON.stringify({
          status_code: "500",
          status_message: "Internal server error",
          transaction_id: made.transaction_id,
        }),
      };
    });
    const behind = await startHarness({
      client: { baseUrl: proxy.url, retry: { ...fast, onEvent: (event) => events.push(event) } },
    });
    try {
      const { payment, exchanges } = await behind.client.createPayment(vaPayment(25_000n), deadline());
      expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
      expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
        "charge 500",
        "status 200",
      ]);
      expect(events).toEqual([]);
    } finally {
      await behind.close();
      await proxy.close();
    }
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { charge: 1, status: 1 } });
  });

  it("a duplicate order_id (406) is never repeated", async () => {
    const request = vaPayment(25_000n);
    await h().client.createPayment(request, deadline());
    const again = await h().client.createPayment(request, deadline());
    expect(again.exchanges.map((e) => e.operation)).toEqual(["charge", "status"]);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { charge: 2 } });
    expect(events).toEqual([]);
  });

  it("a connection reset after sending is not retried: the outcome is left to the router", async () => {
    h().simulator.configure({ resetConnections: 1 });
    const error = await rejection(h().client.createPayment(vaPayment(25_000n), deadline()));
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(h().simulator.stats().requests).toEqual({ charge: 1 });
    expect(events).toEqual([]);
  });

  it("a request that never left (connection refused) is retried, and says so when it never gets through", async () => {
    const port = await unusedPort();
    const seen: HttpRetryEvent[] = [];
    const client = createMidtransClient({
      baseUrl: `http://127.0.0.1:${port}`,
      serverKey: simulatorDefaults.serverKey,
      retry: { ...fast, onEvent: (event) => seen.push(event) },
    });
    const error = await client.status("pay_x").then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isProviderTransportError(error)) throw new Error("expected a ProviderTransportError");
    expect(error.sent).toBe(false);
    expect(error.exchanges).toHaveLength(3);
    expect(seen.map((event) => event.attempt)).toEqual([1, 2]);
  });
});

describe("reads: GET /v2/{order_id}/status", () => {
  let request: ReturnType<typeof vaPayment>;
  beforeEach(async () => {
    request = vaPayment(25_000n);
    await h().client.createPayment(request, deadline());
  });
  it("retries a 503", async () => {
    h().simulator.configure({ failNext: { count: 1, statusCode: "503" } });
    const { payment, exchanges } = await h().client.getPaymentStatus(
      { paymentId: request.paymentId },
      deadline(),
    );
    expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(exchanges.map((e) => e.responseStatus)).toEqual([503, 200]);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { charge: 1, status: 2 } });
  });

  it("retries a lost answer too: reading twice changes nothing", async () => {
    h().simulator.configure({ resetConnections: 1 });
    const { payment, exchanges } = await h().client.getPaymentStatus(
      { paymentId: request.paymentId },
      deadline(),
    );
    expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(exchanges.map((e) => e.transportError !== "")).toEqual([true, false]);
    expect(h().simulator.stats()).toMatchObject({ charges: 1, requests: { charge: 1, status: 2 } });
  });

  it("gives up after the configured attempts with UNAVAILABLE", async () => {
    h().simulator.configure({ failNext: { count: 3, statusCode: "500" } });
    const error = await rejection(h().client.getPaymentStatus({ paymentId: request.paymentId }, deadline()));
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_ERROR });
    expect(h().simulator.stats().requests.status).toBe(3);
  });
});
