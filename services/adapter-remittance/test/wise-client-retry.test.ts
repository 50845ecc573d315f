// The upstream retry policy inside the remittance adapter: which Wise calls are repeated, after
// what, and what the adapter answers. Asserted on the simulator's counters and the adapter's answers.
import { randomUUID } from "node:crypto";
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { HttpRetryEvent } from "@paymesh/resilience";
import { type ScriptedReply, startScriptedProxy } from "@paymesh/sandbox-kit";
import { useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { createWiseClient } from "../src/wise-client.ts";
import { idrQuote, remittancePayment, startAdapter } from "./harness.ts";

const rateLimited = (retryAfter: string): ScriptedReply => ({
  status: 429,
  headers: { "retry-after": retryAfter },
  body: '{"errors":[{"code":"TOO_MANY_REQUESTS","message":"Slow down"}]}',
});

let events: HttpRetryEvent[] = [];

/** The real adapter over gRPC, its Wise client going through the proxy with tiny backoffs. */
const proxy = useFixture(() => startScriptedProxy());
const fixture = useFixture(
  () =>
    startAdapter({
      via: (simulatorUrl) => {
        proxy().forwardTo(simulatorUrl);
        return proxy().url;
      },
      retry: { initialDelayMs: 1, maxDelayMs: 5, onEvent: (event) => events.push(event) },
    }),
  (started) => {
    started.simulator.reset();
    events = [];
  },
);

const transferStatuses = (exchanges: Array<{ operation: string; responseStatus: number }>) =>
  exchanges.filter((e) => e.operation === "createTransfer").map((e) => e.responseStatus);

describe("CreatePayment: POST /v1/transfers, keyed by customerTransactionId", () => {
  it("a 503 then success: retried with the same id, one transfer, funded once, PROCESSING", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    fixture().simulator.configure({
      failNext: { count: 1, status: 503, code: "SERVICE_UNAVAILABLE", endpoint: "create-transfer" },
    });
    const { payment, exchanges } = await fixture().client.createPayment(request, deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(transferStatuses(exchanges)).toEqual([503, 200]);
    expect(fixture().simulator.stats()).toMatchObject({
      charges: 1,
      fundings: 1,
      requests: { "create-transfer": 2, "fund-transfer": 1 },
    });
    expect(events).toMatchObject([{ name: "wise", attempt: 1, status: 503 }]);
  });

  it("a 429 with Retry-After: 1 waits 1000 ms, unless the configured cap is lower", async () => {
    const quote = await idrQuote(fixture());
    const recipient = await fixture().wise.createRecipient({
      currency: "GBP",
      type: "sort_code",
      accountHolderName: "Ann Smith",
      details: { sortCode: "040075", accountNumber: "37778842" },
    });
    if (!recipient.ok) throw new Error("recipient refused");
    proxy().on("POST /v1/transfers", () => rateLimited("1"));
    const seen: HttpRetryEvent[] = [];
    const caller = new AbortController();
    const patient = createWiseClient({
      baseUrl: proxy().url,
      apiToken: fixture().simulator.apiToken,
      profileId: fixture().simulator.profileId,
      retry: {
        maxDelayMs: 5_000,
        // Read the chosen delay, then give up rather than sit through it: the last answer returns.
        onEvent: (event) => {
          seen.push(event);
          caller.abort();
        },
      },
    });
    const answer = await patient.createTransfer({
      targetAccount: recipient.body.id,
      quoteUuid: quote.id,
      customerTransactionId: randomUUID(),
      reference: "Invoice 42",
      signal: caller.signal,
    });
    expect(answer).toMatchObject({ ok: false, status: 429 });
    expect(seen).toMatchObject([{ attempt: 1, status: 429, delayMs: 1_000, retryAfterMs: 1_000 }]);

    // The adapter's cap is 5 ms: it waits 5 ms and the retry reaches Wise. One transfer.
    events = [];
    proxy().on("POST /v1/transfers", () => rateLimited("1"));
    const { payment, exchanges } = await fixture().client.createPayment(remittancePayment(quote), deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(transferStatuses(exchanges)).toEqual([429, 200]);
    expect(events).toMatchObject([{ status: 429, delayMs: 5, retryAfterMs: 1_000 }]);
    expect(fixture().simulator.stats()).toMatchObject({
      charges: 1,
      fundings: 1,
      requests: { "create-transfer": 1 },
    });
  });

  it("a 5xx carrying the transfer is not retried; the outcome stays open and a repeat resumes it", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    // Wise makes the transfer; its answer comes back as a 500 with the transfer in it.
    proxy().on("POST /v1/transfers", async (forward) => ({ ...(await forward()), status: 500 }));
    const error = await rejection(fixture().client.createPayment(request, deadline()));
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(events).toEqual([]);
    expect(fixture().simulator.stats()).toMatchObject({ charges: 1, requests: { "create-transfer": 1 } });

    const resumed = await fixture().client.createPayment(request, deadline());
    expect(resumed.payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(fixture().simulator.stats()).toMatchObject({ charges: 1, fundings: 1 });
  });

  it("an answer lost after Wise made the transfer is not retried: OUTCOME_UNKNOWN, one transfer", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    proxy().on("POST /v1/transfers", async (forward) => {
      await forward();
      throw new Error("the connection drops before the answer");
    });
    const error = await rejection(fixture().client.createPayment(request, deadline()));
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(events).toEqual([]);
    expect(fixture().simulator.stats()).toMatchObject({
      charges: 1,
      fundings: 0,
      requests: { "create-transfer": 1 },
    });
  });

  it("funding: a 503 is retried, and Wise funds once", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    fixture().simulator.configure({
      failNext: { count: 1, status: 503, code: "SERVICE_UNAVAILABLE", endpoint: "fund-transfer" },
    });
    const { payment } = await fixture().client.createPayment(request, deadline());
    expect(payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(fixture().simulator.stats()).toMatchObject({
      charges: 1,
      fundings: 1,
      requests: { "fund-transfer": 2 },
    });
  });
});

describe("reads: GET /v1/transfers", () => {
  it("retries a 503, and a lost answer", async () => {
    const request = remittancePayment(await idrQuote(fixture()));
    const created = await fixture().client.createPayment(request, deadline());
    const lookup = {
      paymentId: request.paymentId ?? "",
      providerReference: created.payment?.providerReference ?? "",
    };
    fixture().simulator.configure({
      failNext: { count: 1, status: 503, code: "SERVICE_UNAVAILABLE", endpoint: "get-transfer" },
    });
    const status = await fixture().client.getPaymentStatus(lookup, deadline());
    expect(status.payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(status.exchanges.map((e) => e.responseStatus)).toEqual([503, 200]);

    fixture().simulator.configure({ resetConnections: 1 });
    const again = await fixture().client.getPaymentStatus(lookup, deadline());
    expect(again.payment?.status).toBe(PaymentStatus.PROCESSING);
    expect(again.exchanges.map((e) => e.transportError !== "")).toEqual([true, false]);
    // One read inside CreatePayment, two per status query.
    expect(fixture().simulator.stats()).toMatchObject({ charges: 1, requests: { "get-transfer": 5 } });
  });

  it("gives up after the configured attempts with UNAVAILABLE", async () => {
    fixture().simulator.configure({
      failNext: { count: 3, status: 502, code: "BAD_GATEWAY", endpoint: "get-transfer" },
    });
    const error = await rejection(
      fixture().client.getPaymentStatus({ paymentId: "pay_x", providerReference: "1" }, deadline()),
    );
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE });
    expect(fixture().simulator.stats().requests).toEqual({ "get-transfer": 3 });
  });
});
