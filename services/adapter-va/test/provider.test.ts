import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import { useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { startHarness, vaPayment } from "./harness.ts";

// Upstream retries with tiny backoffs, so the 5xx paths run in milliseconds.
const h = useFixture(
  () => startHarness({ client: { retry: { initialDelayMs: 1, maxDelayMs: 5 } } }),
  (harness) => harness.simulator.reset(),
);

describe("CreatePayment", () => {
  it("issues a VA: REQUIRES_ACTION with the VA number as the customer action, 24 h expiry", async () => {
    const request = vaPayment(150_000n, VirtualAccountBank.BRI);
    const { payment, exchanges } = await h().client.createPayment(request, deadline());
    expect(payment).toMatchObject({
      status: PaymentStatus.REQUIRES_ACTION,
      providerStatus: "pending",
      amount: { currency: "IDR", minorUnits: 15_000_000n },
      customerAction: { action: { case: "virtualAccount", value: { bank: VirtualAccountBank.BRI } } },
    });
    const action = payment?.customerAction?.action;
    expect(action?.case === "virtualAccount" && action.value.vaNumber).toMatch(/^\d{18}$/);
    const expiresIn = Number(payment?.expiresAt?.seconds ?? 0n) * 1000 - Date.now();
    expect(expiresIn).toBeGreaterThan(86_390_000);
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual(["charge 200"]);
    expect(h().simulator.stats().charges).toBe(1);
  });

  it("reads Permata's permata_va_number shape and echoes a custom VA number", async () => {
    const request = vaPayment(20_000n, VirtualAccountBank.PERMATA, {
      customVaNumber: "1234567890",
      customerName: "Siti",
    });
    const { payment } = await h().client.createPayment(request, deadline());
    expect(payment?.customerAction?.action).toEqual({
      case: "virtualAccount",
      value: expect.objectContaining({ bank: VirtualAccountBank.PERMATA, vaNumber: "1234567890" }),
    });
  });

  it("resolves Midtrans's duplicate order_id (406) by fetching the existing VA: one charge", async () => {
    const request = vaPayment(30_000n);
    const first = await h().client.createPayment(request, deadline());
    const second = await h().client.createPayment(request, deadline());
    expect(second.payment?.providerReference).toBe(first.payment?.providerReference);
    expect(second.payment?.customerAction).toEqual(first.payment?.customerAction);
    expect(second.exchanges.map((e) => e.operation)).toEqual(["charge", "status"]);
    expect(h().simulator.stats().charges).toBe(1);
  });

  it("masks VA numbers and names in the recorded exchanges", async () => {
    const request = vaPayment(20_000n, VirtualAccountBank.BNI, {
      customVaNumber: "987654321012",
      customerName: "Budi Santoso",
    });
    const { exchanges } = await h().client.createPayment(request, deadline());
    const [charge] = exchanges;
    expect(charge?.requestBody).toContain('"va_number":"****1012"');
    expect(charge?.requestBody).toContain('"first_name":"B***"');
    expect(charge?.responseBody).toContain('"va_number":"****1012"');
    const recorded = JSON.stringify(exchanges.map((e) => [e.requestBody, e.responseBody]));
    expect(recorded).not.toContain("987654321012");
    expect(recorded).not.toContain("Santoso");
  });

  it("magic 10202 (deny): a normal answer, FAILED with PROVIDER_DECLINED and Midtrans's code", async () => {
    const { payment } = await h().client.createPayment(vaPayment(10_202n), deadline());
    expect(payment).toMatchObject({
      status: PaymentStatus.FAILED,
      providerStatus: "deny",
      failure: { reason: ErrorReason.PROVIDER_DECLINED, providerCode: "202" },
    });
    expect(payment?.customerAction).toBeUndefined();
  });

  it.each([
    [10_500n, ErrorReason.PROVIDER_ERROR],
    [10_503n, ErrorReason.PROVIDER_UNAVAILABLE],
  ])("magic %s: nothing created, so UNAVAILABLE with reached_provider=false", async (rupiah, reason) => {
    const error = await rejection(h().client.createPayment(vaPayment(rupiah), deadline()));
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason });
    expect(error.metadata).toMatchObject({
      provider_code: String(rupiah - 10_000n),
      reached_provider: "false",
    });
    expect(h().simulator.stats().charges).toBe(0);
  });

  it("magic 10504 (created, then a gateway timeout): the status API finds the VA; no failure guessed", async () => {
    const request = vaPayment(10_504n);
    const { payment, exchanges } = await h().client.createPayment(request, deadline());
    expect(payment?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    // The 504 is retried with the same order_id, which Midtrans refuses as a duplicate (406 in an
    // HTTP 200); the status API then returns the VA the first attempt created.
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual([
      "charge 504",
      "charge 200",
      "status 200",
    ]);
    expect(h().simulator.stats().charges).toBe(1);
  });

  it("magic 10429 (rate limited): RESOURCE_EXHAUSTED, nothing created", async () => {
    const error = await rejection(h().client.createPayment(vaPayment(10_429n), deadline()));
    expect(error).toMatchObject({
      code: GrpcCode.RESOURCE_EXHAUSTED,
      reason: ErrorReason.PROVIDER_RATE_LIMITED,
    });
  });

  it("a 5xx wrapped in HTTP 200 is still read (and retried) as the 5xx it is", async () => {
    h().simulator.configure({ failNext: { count: 3, statusCode: "502", httpStatus: 200 } });
    const error = await rejection(h().client.createPayment(vaPayment(25_000n), deadline()));
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_UNAVAILABLE });
    expect(h().simulator.stats()).toMatchObject({ charges: 0, requests: { charge: 3, status: 1 } });
  });
});

describe("GetPaymentStatus and CancelPayment", () => {
  it("follows the VA to settlement, with the failure-free SUCCEEDED status and no customer action", async () => {
    const request = vaPayment(75_000n);
    await h().client.createPayment(request, deadline());
    await h().simulator.pay(request.paymentId);
    const { payment } = await h().client.getPaymentStatus({ paymentId: request.paymentId }, deadline());
    expect(payment).toMatchObject({ status: PaymentStatus.SUCCEEDED, providerStatus: "settlement" });
    expect(payment?.customerAction).toBeUndefined();
    expect(payment?.failure).toBeUndefined();
  });

  it("reports an expired VA as EXPIRED with PAYMENT_EXPIRED (status_code 407 is an answer, not an error)", async () => {
    const request = vaPayment(25_000n);
    await h().client.createPayment(request, deadline());
    await h().simulator.expire(request.paymentId);
    const { payment } = await h().client.getPaymentStatus({ paymentId: request.paymentId }, deadline());
    expect(payment).toMatchObject({
      status: PaymentStatus.EXPIRED,
      failure: { reason: ErrorReason.PAYMENT_EXPIRED, providerCode: "407" },
    });
  });

  it("answers NOT_FOUND for an unknown payment, on status and on cancel", async () => {
    const unknown = { paymentId: vaPayment(1n).paymentId };
    for (const call of [
      h().client.getPaymentStatus(unknown, deadline()),
      h().client.cancelPayment(unknown, deadline()),
    ]) {
      expect(await rejection(call)).toMatchObject({
        code: GrpcCode.NOT_FOUND,
        reason: ErrorReason.PAYMENT_NOT_FOUND,
      });
    }
  });

  it("cancels a pending VA; cancelling again answers CANCELED again; a settled VA is not cancelable", async () => {
    const request = vaPayment(25_000n);
    await h().client.createPayment(request, deadline());
    const first = await h().client.cancelPayment({ paymentId: request.paymentId }, deadline());
    expect(first.payment?.status).toBe(PaymentStatus.CANCELED);
    const again = await h().client.cancelPayment({ paymentId: request.paymentId }, deadline());
    expect(again.payment?.status).toBe(PaymentStatus.CANCELED);
    expect(again.exchanges.map((e) => e.operation)).toEqual(["cancel", "status"]);

    const paid = vaPayment(25_000n);
    await h().client.createPayment(paid, deadline());
    await h().simulator.pay(paid.paymentId);
    const error = await rejection(h().client.cancelPayment({ paymentId: paid.paymentId }, deadline()));
    expect(error).toMatchObject({
      code: GrpcCode.FAILED_PRECONDITION,
      reason: ErrorReason.PAYMENT_NOT_CANCELABLE,
    });
    expect(error.message).toContain("settlement");
  });
});

describe("ListSettlements", () => {
  it("streams the simulator's settlement report for a WIB day, with the fee", async () => {
    const request = vaPayment(100_000n);
    await h().client.createPayment(request, deadline());
    await h().simulator.pay(request.paymentId);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const settlements = [];
    for await (const item of h().client.listSettlements({ date: today }, deadline()))
      settlements.push(...item.settlements);
    expect(settlements).toEqual([
      expect.objectContaining({
        paymentId: request.paymentId,
        amount: expect.objectContaining({ minorUnits: 10_000_000n }),
        // Rp4.000 and PPN 11% on it; test/settlements.test.ts has the itemized fees.
        fee: expect.objectContaining({ minorUnits: 444_000n }),
        providerStatus: "settlement",
      }),
    ]);
  });
});
