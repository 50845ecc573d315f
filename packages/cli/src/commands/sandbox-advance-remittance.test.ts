import { create } from "@bufbuild/protobuf";
import { type GetPaymentRequest, PaymentSchema, PaymentStatus } from "@paymesh/proto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startControlApi } from "../testing/control-api-stub.ts";
import { spawnCli } from "../testing/spawn-cli.ts";
import { type StubRouter, startStubRouter } from "../testing/stub-router.ts";

// The router's view of three payments: a funded remittance (Wise transfer 50000001), one whose
// transfer the router never learned of, and a QRIS payment.
const PAYMENTS = {
  pay_remit: create(PaymentSchema, {
    id: "pay_remit",
    status: PaymentStatus.PROCESSING,
    method: { case: "remittance", value: { quoteId: "q-1" } },
    providerReference: "50000001",
  }),
  pay_unsent: create(PaymentSchema, {
    id: "pay_unsent",
    status: PaymentStatus.PENDING,
    method: { case: "remittance", value: { quoteId: "q-2" } },
  }),
  pay_qris: create(PaymentSchema, {
    id: "pay_qris",
    status: PaymentStatus.REQUIRES_ACTION,
    method: { case: "qris", value: {} },
  }),
};

let router: StubRouter;
beforeAll(async () => {
  router = await startStubRouter({
    getPayment: (request) => ({ payment: PAYMENTS[request.paymentId as keyof typeof PAYMENTS] }),
  });
});
afterAll(() => router.close());
beforeEach(() => {
  router.calls.length = 0;
});

function advance(paymentId: string, sandboxUrl: string, ...args: string[]) {
  return spawnCli([
    "sandbox",
    "advance",
    "remittance",
    paymentId,
    ...args,
    "--sandbox-url",
    sandboxUrl,
    "--router",
    router.address,
    "--token",
    "test-token-0123456789",
  ]);
}

describe("paymesh sandbox advance remittance", () => {
  it("looks up the Wise transfer id on the router and POSTs it to /sim/advance, to complete", async () => {
    const answer = { transferId: 50000001, state: "outgoing_payment_sent", notified: [] };
    const api = await startControlApi(200, JSON.stringify(answer));
    const run = await advance("pay_remit", api.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(router.calls).toHaveLength(1);
    expect(router.calls[0]?.method).toBe("getPayment");
    expect(router.request<GetPaymentRequest>().paymentId).toBe("pay_remit");
    expect(router.calls[0]?.authorization).toBe("Bearer test-token-0123456789");
    expect(api.received).toEqual([
      {
        method: "POST",
        url: "/sim/advance",
        contentType: "application/json",
        body: { transferId: "50000001", to: "complete" },
      },
    ]);
    expect(JSON.parse(run.stdout)).toEqual(answer);
  });

  it("moves the transfer to the state given with --to", async () => {
    const api = await startControlApi(200, "{}");
    const run = await advance("pay_remit", api.url, "--to", "funds_refunded");
    expect(run.code).toBe(0);
    expect(api.received[0]?.body).toEqual({ transferId: "50000001", to: "funds_refunded" });
  });

  it("refuses a state Wise does not have before asking anyone (usage, exit 2)", async () => {
    const api = await startControlApi(200, "{}");
    const run = await advance("pay_remit", api.url, "--to", "delivered");
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toMatch(
      /^paymesh: sandbox advance remittance: --to "delivered" is not one of complete, /,
    );
    expect(router.calls).toEqual([]);
    expect(api.received).toEqual([]);
  });

  it("refuses a payment that is not a remittance without touching the simulator", async () => {
    const api = await startControlApi(200, "{}");
    const run = await advance("pay_qris", api.url);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual(["paymesh: payment pay_qris is a qris payment, not a remittance"]);
    expect(api.received).toEqual([]);
  });

  it("says so when the router holds no Wise transfer for the payment yet", async () => {
    const api = await startControlApi(200, "{}");
    const run = await advance("pay_unsent", api.url);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      "paymesh: payment pay_unsent has no Wise transfer yet (status PENDING); nothing to advance",
    ]);
    expect(api.received).toEqual([]);
  });

  it("reports the simulator's refusal in one line, exit 1", async () => {
    const api = await startControlApi(409, '{"error":"transfer 50000001 is not funded"}');
    const run = await advance("pay_remit", api.url);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: POST ${api.url}/sim/advance answered 409: {"error":"transfer 50000001 is not funded"}`,
    ]);
  });
});
