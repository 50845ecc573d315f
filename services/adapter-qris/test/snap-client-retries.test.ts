// The upstream retry policy inside the QRIS adapter: which SNAP calls are repeated, after what, and
// what the adapter answers. Asserted on the simulator's counters and the adapter's answers.
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, newPaymentId, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { HttpRetryEvent } from "@paymesh/resilience";
import { type ScriptedReply, startScriptedProxy } from "@paymesh/sandbox-kit";
import { useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { createQrisSimulator } from "../sandbox/index.ts";
import { createSnapQrClient, type SnapQrClientOptions } from "../src/snap-client.ts";
import { serveQris, snapOptions } from "./harness.ts";

const GENERATE = "POST /v1.0/qr/qr-mpm-generate";
const TOKEN = "POST /v1.0/access-token/b2b";

const rateLimited = (retryAfter: string): ScriptedReply => ({
  status: 429,
  headers: { "retry-after": retryAfter },
  body: '{"responseCode":"4294700","responseMessage":"Too Many Requests"}',
});

let events: HttpRetryEvent[] = [];

/** `retry` as given, else tiny backoffs that record their events. */
function retryOptions(retry?: SnapQrClientOptions["retry"]): Partial<SnapQrClientOptions> {
  return { retry: retry ?? { initialDelayMs: 1, maxDelayMs: 5, onEvent: (event) => events.push(event) } };
}

const qrisPayment = () => ({
  paymentId: newPaymentId(),
  amount: { currency: "IDR", minorUnits: 25_000_00n },
  method: { case: "qris" as const, value: { terminalLabel: "KASIR-01" } },
});

const simulator = useFixture(() => createQrisSimulator());
const proxy = useFixture(() => startScriptedProxy(simulator().url));
/** The real adapter over gRPC, its SNAP client going through the proxy with tiny backoffs. */
const served = useFixture(
  () => serveQris(proxy().url, { client: retryOptions() }),
  () => {
    events = [];
  },
);

describe("CreatePayment: qr-mpm-generate, keyed by partnerReferenceNo", () => {
  it("a 503 then success: signed afresh with a new X-EXTERNAL-ID, one QR, REQUIRES_ACTION", async () => {
    simulator().configure({ failNext: { count: 1, responseCode: "5034700" } });
    const { payment, exchanges } = await served().client.createPayment(qrisPayment(), deadline());
    expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    // Reusing the X-EXTERNAL-ID would have been refused as 4094700; the retry was created instead.
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
      "generateQr 503",
      "generateQr 200",
    ]);
    expect(simulator().stats()).toMatchObject({ charges: 1, requests: { "qr-mpm-generate": 2 } });
    expect(events).toMatchObject([{ name: "snap", attempt: 1, status: 503 }]);
  });

  it("a 429 with Retry-After: 1 waits 1000 ms, unless the configured cap is lower", async () => {
    proxy().on(GENERATE, () => rateLimited("1"));
    const seen: HttpRetryEvent[] = [];
    const caller = new AbortController();
    const patient = createSnapQrClient(
      snapOptions(proxy().url, {
        retry: {
          maxDelayMs: 5_000,
          // Read the chosen delay, then give up rather than sit through it: the last answer returns.
          onEvent: (event) => {
            seen.push(event);
            caller.abort();
          },
        },
      }),
    );
    const answer = await patient.generateQr({
      partnerReferenceNo: qrisPayment().paymentId,
      amountMinorUnits: 25_000_00n,
      signal: caller.signal,
    });
    expect(answer).toMatchObject({ ok: false, responseCode: "4294700", httpStatus: 429 });
    expect(seen).toMatchObject([{ attempt: 1, status: 429, delayMs: 1_000, retryAfterMs: 1_000 }]);
    expect(simulator().stats().charges).toBe(0);

    // The adapter's cap is 5 ms: it waits 5 ms and the retry reaches the bank. One QR.
    proxy().on(GENERATE, () => rateLimited("1"));
    const { payment, exchanges } = await served().client.createPayment(qrisPayment(), deadline());
    expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(exchanges.map((e) => e.responseStatus)).toEqual([429, 200]);
    expect(events).toMatchObject([{ status: 429, delayMs: 5, retryAfterMs: 1_000 }]);
    expect(simulator().stats()).toMatchObject({ charges: 1, requests: { "qr-mpm-generate": 1 } });
  });

  it("a 5xx carrying the bank's referenceNo is not retried: the query returns that QR", async () => {
    // The bank makes the QR; its answer comes back as a 500 that still names it.
    proxy().on(GENERATE, async (forward) => {
      const made = JSON.parse((await forward()).body) as { referenceNo: string };
      return {
        status: 500,
        body: JSON.stringify({
          responseCode: "5004700",
          responseMessage: "General Error",
          referenceNo: made.referenceNo,
        }),
      };
    });
    const { payment, exchanges } = await served().client.createPayment(qrisPayment(), deadline());
    expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
      "generateQr 500",
      "queryQr 200",
    ]);
    expect(events).toEqual([]);
    expect(simulator().stats()).toMatchObject({
      charges: 1,
      requests: { "qr-mpm-generate": 1, "qr-mpm-query": 1 },
    });
  });

  it("a duplicate partnerReferenceNo (409xx01) is never repeated", async () => {
    const request = qrisPayment();
    await served().client.createPayment(request, deadline());
    const again = await served().client.createPayment(request, deadline());
    expect(again.exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
      "generateQr 409",
      "queryQr 200",
    ]);
    expect(simulator().stats()).toMatchObject({ charges: 1, requests: { "qr-mpm-generate": 2 } });
    expect(events).toEqual([]);
  });

  it("a connection reset after sending is not retried: the outcome is left to the router", async () => {
    simulator().configure({ resetConnections: 1 });
    const error = await rejection(served().client.createPayment(qrisPayment(), deadline()));
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(simulator().stats().requests).toMatchObject({ "qr-mpm-generate": 1 });
    expect(events).toEqual([]);
  });

  it("a 503 from the token endpoint is retried; no token's body lands in the audit trail", async () => {
    proxy().on(TOKEN, () => ({
      status: 503,
      body: '{"responseCode":"5037300","responseMessage":"Service Unavailable"}',
    }));
    const seen: HttpRetryEvent[] = [];
    // A fresh adapter, so its client has no cached token.
    const fresh = await serveQris(proxy().url, {
      client: retryOptions({ initialDelayMs: 1, maxDelayMs: 5, onEvent: (event) => seen.push(event) }),
    });
    try {
      const { payment, exchanges } = await fresh.client.createPayment(qrisPayment(), deadline());
      expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
      expect(seen).toMatchObject([{ attempt: 1, status: 503 }]);
      expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
        "accessToken 503",
        "generateQr 200",
      ]);
      expect(JSON.stringify(exchanges.map((e) => e.responseBody))).not.toContain("accessToken");
    } finally {
      await fresh.close();
    }
    expect(simulator().stats()).toMatchObject({ charges: 1, requests: { "access-token": 1 } });
  });
});

describe("reads: qr-mpm-query", () => {
  it("retries a 5xx, and a lost answer", async () => {
    const request = qrisPayment();
    const created = await served().client.createPayment(request, deadline());
    const lookup = {
      paymentId: request.paymentId,
      providerReference: created.payment?.providerReference ?? "",
    };
    simulator().configure({ failNext: { count: 1, responseCode: "5005100" } });
    const status = await served().client.getPaymentStatus(lookup, deadline());
    expect(status.payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(status.exchanges.map((e) => e.responseStatus)).toEqual([500, 200]);

    simulator().configure({ resetConnections: 1 });
    const again = await served().client.getPaymentStatus(lookup, deadline());
    expect(again.payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(again.exchanges.map((e) => e.transportError !== "")).toEqual([true, false]);
    expect(simulator().stats()).toMatchObject({ charges: 1, requests: { "qr-mpm-query": 4 } });
  });

  it("gives up after the configured attempts with UNAVAILABLE", async () => {
    simulator().configure({ failNext: { count: 3, responseCode: "5025100" } });
    const error = await rejection(
      served().client.getPaymentStatus({ paymentId: "pay_x", providerReference: "" }, deadline()),
    );
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE });
    expect(simulator().stats().requests).toMatchObject({ "qr-mpm-query": 3 });
  });
});

describe("what the adapter answers when the bank's record settles it", () => {
  it("5xx on every generate attempt and no QR at the bank: nothing was created, never reached", async () => {
    const unavailable = () => ({
      status: 503,
      body: '{"responseCode":"5034700","responseMessage":"Service Unavailable"}',
    });
    proxy().on(GENERATE, unavailable, unavailable, unavailable);
    const error = await rejection(served().client.createPayment(qrisPayment(), deadline()));
    expect(error).toMatchObject({
      code: GrpcCode.UNAVAILABLE,
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
      metadata: { provider_code: "5034700" },
    });
    expect(error.neverReachedProvider).toBe(true);
    expect(simulator().stats()).toMatchObject({ charges: 0, requests: { "qr-mpm-query": 1 } });
  });
});

describe("CancelPayment: qr-mpm-cancel, keyed by partnerReferenceNo", () => {
  it("a connection reset after sending is not retried: OUTCOME_UNKNOWN", async () => {
    const request = qrisPayment();
    const created = await served().client.createPayment(request, deadline());
    simulator().configure({ resetConnections: 1 });
    const cancel = {
      paymentId: request.paymentId,
      providerReference: created.payment?.providerReference ?? "",
    };
    const error = await rejection(served().client.cancelPayment(cancel, deadline()));
    expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(simulator().stats().requests).toMatchObject({ "qr-mpm-cancel": 1 });
    const status = await served().client.getPaymentStatus(cancel, deadline());
    expect(status.payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
  });
});
