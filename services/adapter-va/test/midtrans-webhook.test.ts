import {
  CLAIMED_PAYMENT_ID_KEY,
  CLAIMED_PROVIDER_REFERENCE_KEY,
  GrpcCode,
  type PaymeshError,
} from "@paymesh/adapter-kit";
import { deadline } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { useFixture, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { simulatorDefaults } from "../sandbox/index.ts";
import { startReceiver } from "../sandbox/test-support.ts";
import { midtransSignature } from "../src/midtrans-webhook.ts";
import { startHarness, vaPayment } from "./harness.ts";

/** ParseWebhook as the router calls it: raw bytes, lower-case headers, the path it was called on. */
function parse(body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  return h().client.parseWebhook(
    {
      httpMethod: "POST",
      path: "/webhooks/va",
      headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
      body: new TextEncoder().encode(body),
    },
    deadline(),
  );
}

async function rejection(body: string): Promise<PaymeshError> {
  return parse(body).then(
    () => {
      throw new Error("expected ParseWebhook to fail");
    },
    (error: PaymeshError) => error,
  );
}

async function created(rupiah = 50_000n) {
  const request = vaPayment(rupiah);
  const { payment } = await h().client.createPayment(request, deadline());
  return { paymentId: request.paymentId, providerReference: payment?.providerReference ?? "" };
}

const h = useFixture(
  () => startHarness({ client: { retry: { initialDelayMs: 1, maxDelayMs: 5 } } }),
  (harness) => harness.simulator.reset(),
);
const receiver = useFixture(startReceiver, (started) => {
  started.received.length = 0;
});

describe("ParseWebhook: signature", () => {
  it("accepts a genuine notification: one event, confirmed, with a 200 reply", async () => {
    const payment = await created();
    const { events, reply } = await parse(h().simulator.webhook(payment.paymentId).body);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: `${payment.providerReference}:pending`,
        paymentId: payment.paymentId,
        providerReference: payment.providerReference,
        status: PaymentStatus.REQUIRES_ACTION,
        providerStatus: "pending",
        amount: expect.objectContaining({ currency: "IDR", minorUnits: 5_000_000n }),
      }),
    ]);
    expect(reply?.httpStatus).toBe(200);
  });

  it("rejects a forged, tampered, unsigned or unreadable body with WEBHOOK_SIGNATURE_INVALID", async () => {
    const payment = await created();
    const genuine = h().simulator.webhook(payment.paymentId).body;
    const record = JSON.parse(genuine) as Record<string, unknown>;
    const claims = (paymentId: string) => ({
      [CLAIMED_PAYMENT_ID_KEY]: paymentId,
      [CLAIMED_PROVIDER_REFERENCE_KEY]: payment.providerReference,
    });
    const bodies: Record<string, [string, Record<string, string>]> = {
      forged: [h().simulator.webhook(payment.paymentId, { forged: true }).body, claims(payment.paymentId)],
      "gross_amount changed": [
        JSON.stringify({ ...record, gross_amount: "1.00" }),
        claims(payment.paymentId),
      ],
      "order_id changed": [
        JSON.stringify({ ...record, order_id: "pay_someone_else" }),
        claims("pay_someone_else"),
      ],
      "status_code changed": [JSON.stringify({ ...record, status_code: "200" }), claims(payment.paymentId)],
      "signature_key removed": [
        JSON.stringify({ ...record, signature_key: undefined }),
        claims(payment.paymentId),
      ],
      "signature_key upper-cased": [
        JSON.stringify({ ...record, signature_key: String(record.signature_key).toUpperCase() }),
        claims(payment.paymentId),
      ],
      "not JSON": ["order_id=x&signature_key=y", {}],
      empty: ["", {}],
    };
    for (const [name, [body, metadata]] of Object.entries(bodies)) {
      const error = await rejection(body);
      expect({ name, code: error.code, reason: error.reasonName, metadata: error.metadata }).toEqual({
        name,
        code: GrpcCode.UNAUTHENTICATED,
        reason: "WEBHOOK_SIGNATURE_INVALID",
        metadata,
      });
    }
    expect(h().simulator.stats().requests.status).toBeUndefined();
  });

  it("needs no headers: Midtrans signs in the body and sends only Content-Type", async () => {
    const payment = await created();
    const { events } = await parse(h().simulator.webhook(payment.paymentId).body, {});
    expect(events[0]?.status).toBe(PaymentStatus.REQUIRES_ACTION);
  });
});

describe("ParseWebhook: claims of a notification that does not verify", () => {
  const unsigned = (fields: Record<string, unknown>) =>
    JSON.stringify({
      status_code: "201",
      gross_amount: "50000.00",
      transaction_status: "settlement",
      ...fields,
    });

  it("carries only the ids the body names: order_id as the payment, transaction_id as the reference", async () => {
    const bodies: Array<[string, Record<string, string>]> = [
      [
        unsigned({ order_id: "pay_claimed", transaction_id: "tx-claimed" }),
        { [CLAIMED_PAYMENT_ID_KEY]: "pay_claimed", [CLAIMED_PROVIDER_REFERENCE_KEY]: "tx-claimed" },
      ],
      [unsigned({ order_id: "pay_claimed" }), { [CLAIMED_PAYMENT_ID_KEY]: "pay_claimed" }],
      [unsigned({ transaction_id: "tx-claimed" }), { [CLAIMED_PROVIDER_REFERENCE_KEY]: "tx-claimed" }],
    ];
    for (const [body, metadata] of bodies) {
      const error = await rejection(body);
      expect({ code: error.code, reason: error.reason, metadata: error.metadata }, body).toEqual({
        code: GrpcCode.UNAUTHENTICATED,
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        metadata,
      });
    }
  });

  it("carries nothing when the body names no plausible id", async () => {
    const bodies = [
      "<html>not a notification</html>",
      "[1,2]",
      "null",
      unsigned({}),
      unsigned({ order_id: 12345, transaction_id: { id: "tx" } }),
      unsigned({ order_id: "has spaces in it", transaction_id: "x".repeat(500) }),
    ];
    for (const body of bodies) {
      const error = await rejection(body);
      expect({ code: error.code, reason: error.reason, metadata: error.metadata }, body).toEqual({
        code: GrpcCode.UNAUTHENTICATED,
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        metadata: {},
      });
    }
  });

  it("a forged copy changes nothing: the genuine notification is still accepted", async () => {
    const payment = await created();
    await rejection(h().simulator.webhook(payment.paymentId, { forged: true }).body);
    const { events } = await parse(h().simulator.webhook(payment.paymentId).body);
    expect(events[0]).toMatchObject({
      paymentId: payment.paymentId,
      providerReference: payment.providerReference,
      status: PaymentStatus.REQUIRES_ACTION,
    });
  });
});

describe("ParseWebhook: confirmation with the status API", () => {
  it("takes the status from the status API, not the body: a claimed settlement of a pending VA stays pending", async () => {
    const payment = await created();
    const record = JSON.parse(h().simulator.webhook(payment.paymentId).body) as Record<string, unknown>;
    // transaction_status is not covered by signature_key, so this still verifies.
    const claimed = JSON.stringify({ ...record, transaction_status: "settlement" });
    const { events } = await parse(claimed);
    expect(events[0]).toMatchObject({ status: PaymentStatus.REQUIRES_ACTION, providerStatus: "pending" });
    expect(h().simulator.stats().requests.status).toBe(1);
  });

  it("a late pending notification after settlement reports SUCCEEDED, as the same event as the settlement's", async () => {
    const payment = await created();
    const pending = h().simulator.webhook(payment.paymentId).body;
    await h().simulator.pay(payment.paymentId);
    const settlement = h().simulator.webhook(payment.paymentId).body;
    const late = await parse(pending);
    const onTime = await parse(settlement);
    expect(late.events[0]?.status).toBe(PaymentStatus.SUCCEEDED);
    expect(late.events[0]?.eventId).toBe(onTime.events[0]?.eventId);
    expect(onTime.events[0]?.eventId).toBe(`${payment.providerReference}:settlement`);
  });

  it("duplicated and reordered deliveries from the simulator yield one event id per state", async () => {
    h().simulator.configure({ notifyUrl: `${receiver().url}/webhooks/va`, duplicateCallbacks: true });
    const payment = await created();
    await waitFor(() => (receiver().received.length === 2 ? true : undefined));
    const pendingIds = await Promise.all(
      receiver().received.map(async (r) => (await parse(r.body)).events[0]?.eventId),
    );
    expect(pendingIds).toEqual([
      `${payment.providerReference}:pending`,
      `${payment.providerReference}:pending`,
    ]);

    receiver().received.length = 0;
    h().simulator.configure({ duplicateCallbacks: false, reorderCallbacks: true });
    const second = await created();
    await h().simulator.pay(second.paymentId);
    await waitFor(() => (receiver().received.length === 2 ? true : undefined));
    const arrived = receiver().received.map(
      (r) => (JSON.parse(r.body) as { transaction_status: string }).transaction_status,
    );
    expect(arrived).toEqual(["settlement", "pending"]);
    const events = await Promise.all(receiver().received.map(async (r) => (await parse(r.body)).events[0]));
    expect(events.map((e) => [e?.status, e?.eventId])).toEqual([
      [PaymentStatus.SUCCEEDED, `${second.providerReference}:settlement`],
      [PaymentStatus.SUCCEEDED, `${second.providerReference}:settlement`],
    ]);
  });

  it("answers UNAVAILABLE (so Midtrans redelivers) when the status API cannot confirm", async () => {
    const payment = await created();
    const body = h().simulator.webhook(payment.paymentId).body;
    // Every attempt of the (retried) status read fails.
    h().simulator.configure({ failNext: { count: 3, statusCode: "503" } });
    expect(await rejection(body)).toMatchObject({ code: GrpcCode.UNAVAILABLE });

    const { serverKey } = simulatorDefaults;
    const unknown = JSON.stringify({
      order_id: "pay_unknown",
      status_code: "200",
      gross_amount: "50000.00",
      transaction_status: "settlement",
      signature_key: midtransSignature("pay_unknown", "200", "50000.00", serverKey),
    });
    expect(await rejection(unknown)).toMatchObject({
      code: GrpcCode.UNAVAILABLE,
      reason: ErrorReason.PROVIDER_ERROR,
    });
  });
});
