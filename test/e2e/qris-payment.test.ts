import { promtoolProblems, sampleValue } from "@paymesh/telemetry/testing";
import { waitFor } from "@paymesh/test-kit";
// A QRIS payment end to end: router, QRIS adapter and simulator as real processes, called with a
// plain grpc-js client built from the .proto files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoFromMetadata, rejection } from "../support/error-details.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { type QrisStack, simulatorControl, startQrisStack, TEST_TOKEN } from "../support/qris-stack.ts";

let stack: QrisStack;
let client: ReturnType<typeof plainPaymentClient>;

beforeAll(async () => {
  stack = await startQrisStack();
  client = plainPaymentClient(stack.routerGrpc, TEST_TOKEN);
});
afterAll(async () => {
  client?.close();
  await stack?.stop();
});

const qrisRequest = (key: string, rupiah = 25_000n) => ({
  idempotencyKey: key,
  amount: { currency: "IDR", minorUnits: String(rupiah * 100n) },
  qris: { terminalLabel: "KASIR-01" },
  merchantReference: `order-${key}`,
});

const scrape = async (baseUrl: string) => {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

const charges = async () =>
  (await simulatorControl<{ charges: number }>(stack.simulatorUrl, "/sim/stats")).charges;

describe("QRIS payment through the router", () => {
  it("creates a payment, the customer pays in the simulator, and it ends SUCCEEDED", async () => {
    const before = await charges();
    const routerBefore = await scrape(stack.routerHttp);
    const adapterBefore = await scrape(stack.adapterHttp);
    const { payment } = await client.call<{ payment: PlainPayment }>(
      "CreatePayment",
      qrisRequest("e2e-pay-1"),
    );
    expect(payment.id).toMatch(/^pay_[0-9a-z]{26}$/);
    expect(payment.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
    expect(payment.amount).toEqual({ currency: "IDR", minorUnits: "2500000" });
    expect(payment.adapter).toBe("qris");
    const qr = payment.customerAction?.qris?.qrString ?? "";
    expect(qr.startsWith("000201010212")).toBe(true); // dynamic QRIS
    expect(qr).toContain("540525000"); // tag 54, length 05, Rp25.000
    expect(await charges()).toBe(before + 1);

    const paid = await simulatorControl<{ notified: number }>(stack.simulatorUrl, "/sim/pay", {
      partnerReferenceNo: payment.id,
    });
    expect(paid.notified).toBe(200);
    const settled = await waitFor(async () => {
      const { payment: current } = await client.call<{ payment: PlainPayment }>("GetPayment", {
        paymentId: payment.id,
      });
      return current.status === "PAYMENT_STATUS_SUCCEEDED" ? current : undefined;
    });
    expect(settled.providerReference).toBe(payment.providerReference);

    // The router counts the payment with its final status; the adapter its call and the provider's.
    const router = await scrape(stack.routerHttp);
    const moved = (text: string, before: string, name: string, labels: Record<string, string>) =>
      sampleValue(text, name, labels) - sampleValue(before, name, labels);
    const qris = { adapter: "qris", method: "qris" };
    expect(moved(router, routerBefore, "paymesh_payments_created_total", qris)).toBe(1);
    expect(
      moved(router, routerBefore, "paymesh_payments_finished_total", { ...qris, status: "succeeded" }),
    ).toBe(1);
    expect(
      moved(router, routerBefore, "paymesh_webhooks_applied_total", { adapter: "qris", result: "applied" }),
    ).toBe(1);
    expect(moved(router, routerBefore, "paymesh_webhooks_verified_total", { adapter: "qris" })).toBe(1);
    expect(promtoolProblems(router)).toBe("");
    const adapter = await scrape(stack.adapterHttp);
    const served = { method: "CreatePayment", code: "OK", transport: "grpc" };
    expect(moved(adapter, adapterBefore, "paymesh_rpc_duration_seconds_count", served)).toBe(1);
    expect(
      moved(adapter, adapterBefore, "paymesh_provider_call_duration_seconds_count", {
        adapter: "adapter-qris",
        outcome: "ok",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(promtoolProblems(adapter)).toBe("");
    expect((await fetch(`${stack.adapterHttp}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.adapterHttp}/readyz`)).status).toBe(200);
  });

  it("serves the same payment over Connect/JSON for curl users", async () => {
    const { payment } = await client.call<{ payment: PlainPayment }>(
      "CreatePayment",
      qrisRequest("e2e-connect-1"),
    );
    const response = await fetch(`${stack.routerHttp}/payments.v1.PaymentService/GetPayment`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({ paymentId: payment.id }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      payment: { id: string; status: string; amount: { minorUnits: string } };
    };
    expect(body.payment).toMatchObject({
      id: payment.id,
      status: "PAYMENT_STATUS_REQUIRES_ACTION",
      amount: { minorUnits: "2500000" },
    });
  });

  it("replays the same idempotency key without a second charge, and refuses a changed request", async () => {
    const before = await charges();
    const first = await client.call<{ payment: PlainPayment }>("CreatePayment", qrisRequest("e2e-idem-1"));
    const again = await client.call<{ payment: PlainPayment }>("CreatePayment", qrisRequest("e2e-idem-1"));
    expect(again.payment.id).toBe(first.payment.id);
    expect(await charges()).toBe(before + 1);

    const error = await rejection(client.call("CreatePayment", qrisRequest("e2e-idem-1", 30_000n)));
    expect(error.code).toBe(3); // INVALID_ARGUMENT
    expect(errorInfoFromMetadata(error.metadata)).toMatchObject({
      reason: "IDEMPOTENCY_KEY_REUSED",
      domain: "paymesh.dev",
    });
    expect(await charges()).toBe(before + 1);
  });

  it("rejects a caller without a valid token with UNAUTHENTICATED and ErrorInfo", async () => {
    for (const token of [null, "not-a-configured-token-000000000", "Basic something"]) {
      const error = await rejection(client.call("CreatePayment", qrisRequest("e2e-auth"), { token }));
      expect(error.code).toBe(16);
      expect(errorInfoFromMetadata(error.metadata)).toEqual({
        reason: "UNAUTHENTICATED",
        domain: "paymesh.dev",
        metadata: {},
      });
    }
  });

  it("rejects bad input with INVALID_ARGUMENT naming the field, and writes nothing", async () => {
    const before = await charges();
    const listBefore = await client.call<{ payments: PlainPayment[] }>("ListPayments", { pageSize: 100 });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...qrisRequest(""), idempotencyKey: "" }, "idempotency_key", "MISSING_FIELD"],
      [{ ...qrisRequest("k".repeat(256)) }, "idempotency_key", "INVALID_FIELD"],
      [
        { ...qrisRequest("e2e-bad-amount"), amount: { currency: "IDR", minorUnits: "0" } },
        "amount.minor_units",
        "AMOUNT_OUT_OF_RANGE",
      ],
      [
        { ...qrisRequest("e2e-bad-currency"), amount: { currency: "idr", minorUnits: "100" } },
        "amount.currency",
        "INVALID_FIELD",
      ],
      [
        { idempotencyKey: "e2e-no-method", amount: { currency: "IDR", minorUnits: "100" } },
        "method",
        "MISSING_FIELD",
      ],
      [
        {
          ...qrisRequest("e2e-no-route"),
          qris: undefined,
          bankTransfer: { bankCode: "BCA", accountNumber: "1234567890", accountHolderName: "Budi" },
        },
        "method",
        "METHOD_NOT_SUPPORTED",
      ],
    ];
    for (const [request, field, reason] of cases) {
      const error = await rejection(client.call("CreatePayment", request));
      expect(error.code, field).toBe(3);
      expect(errorInfoFromMetadata(error.metadata), field).toMatchObject({ reason, metadata: { field } });
    }
    const listAfter = await client.call<{ payments: PlainPayment[] }>("ListPayments", { pageSize: 100 });
    expect(listAfter.payments.map((payment) => payment.id)).toEqual(
      listBefore.payments.map((payment) => payment.id),
    );
    expect(await charges()).toBe(before);
  });

  it("answers NOT_FOUND for an unknown payment", async () => {
    const error = await rejection(client.call("GetPayment", { paymentId: "pay_00000000000000000000000000" }));
    expect(error.code).toBe(5);
    expect(errorInfoFromMetadata(error.metadata)?.reason).toBe("PAYMENT_NOT_FOUND");
  });
});

describe("webhook ingress", () => {
  it("answers 401 to a forged or unsigned notification and changes nothing", async () => {
    const { payment } = await client.call<{ payment: PlainPayment }>(
      "CreatePayment",
      qrisRequest("e2e-forged-1"),
    );
    const forged = await simulatorControl<{ headers: Record<string, string>; body: string }>(
      stack.simulatorUrl,
      "/sim/webhook",
      {
        partnerReferenceNo: payment.id,
        forged: true,
        path: "/webhooks/qris",
      },
    );
    // Claim the payment succeeded, signed with a key the adapter does not trust.
    const claimed = JSON.stringify({ ...JSON.parse(forged.body), latestTransactionStatus: "00" });
    for (const [headers, body] of [
      [forged.headers, forged.body],
      [{ "content-type": "application/json" }, claimed],
    ] as const) {
      const response = await fetch(`${stack.routerHttp}/webhooks/qris`, { method: "POST", headers, body });
      expect(response.status).toBe(401);
    }
    const { payment: after } = await client.call<{ payment: PlainPayment }>("GetPayment", {
      paymentId: payment.id,
    });
    expect(after.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
  });

  it("acknowledges a redelivered signed notification the way SNAP expects and keeps the payment SUCCEEDED", async () => {
    const { payment } = await client.call<{ payment: PlainPayment }>(
      "CreatePayment",
      qrisRequest("e2e-signed-1"),
    );
    await simulatorControl(stack.simulatorUrl, "/sim/pay", { partnerReferenceNo: payment.id });
    const signed = await simulatorControl<{ headers: Record<string, string>; body: string }>(
      stack.simulatorUrl,
      "/sim/webhook",
      {
        partnerReferenceNo: payment.id,
        path: "/webhooks/qris",
      },
    );
    const redelivery = await fetch(`${stack.routerHttp}/webhooks/qris`, {
      method: "POST",
      headers: signed.headers,
      body: signed.body,
    });
    expect(redelivery.status).toBe(200);
    expect(await redelivery.json()).toEqual({ responseCode: "2005200", responseMessage: "Successful" });
    // Verified events are applied from the router's webhook queue, a moment after the answer.
    await waitFor(async () => {
      const { payment: after } = await client.call<{ payment: PlainPayment }>("GetPayment", {
        paymentId: payment.id,
      });
      return after.status === "PAYMENT_STATUS_SUCCEEDED" ? after : undefined;
    });
  });
});
