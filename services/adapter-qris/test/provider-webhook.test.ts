// ParseWebhook over gRPC, as the router calls it: the replay window on the signed X-TIMESTAMP and
// the claims a refused notification carries, with the real SNAP simulator on a clock shared with
// the adapter.
import { CLAIMED_PAYMENT_ID_KEY, CLAIMED_PROVIDER_REFERENCE_KEY, GrpcCode } from "@paymesh/adapter-kit";
import { type AdapterClient, deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason } from "@paymesh/proto";
import { createTestClock } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { QrisSimulator } from "../sandbox/index.ts";
import { type QrisHarness, startHarness } from "./harness.ts";

const PATH = "/webhooks/qris";
const TOLERANCE_MS = 300_000;
const clock = createTestClock();
let harness: QrisHarness;
let simulator: QrisSimulator;
let client: AdapterClient;
let sequence = 0;

/** A notification as it would reach the router. */
interface Notification {
  headers: Record<string, string>;
  body: string;
}

function parse(notification: Notification) {
  return client.parseWebhook(
    {
      httpMethod: "POST",
      path: PATH,
      headers: Object.entries(notification.headers).map(([name, value]) => ({
        name: name.toLowerCase(),
        value,
      })),
      body: new TextEncoder().encode(notification.body),
    },
    deadline(),
  );
}

async function outcome(notification: Notification) {
  const error = await rejection(parse(notification));
  return { code: error.code, reason: error.reason, metadata: error.metadata };
}

/** Creates a QR payment and returns its ids. */
async function pay(): Promise<{ paymentId: string; providerReference: string }> {
  sequence += 1;
  const paymentId = `pay_qriswebhooktest${String(sequence).padStart(8, "0")}`;
  const created = await client.createPayment(
    { paymentId, amount: { currency: "IDR", minorUnits: 25_000_00n }, method: { case: "qris", value: {} } },
    deadline(),
  );
  return { paymentId, providerReference: created.payment?.providerReference ?? "" };
}

/** What the bank would send now for the payment: signed with its key, or with a throwaway one. */
function notificationOf(payment: { paymentId: string; providerReference: string }, forged = false) {
  return simulator.webhook(
    { partnerReferenceNo: payment.paymentId, referenceNo: payment.providerReference },
    { path: PATH, forged },
  );
}

beforeAll(async () => {
  harness = await startHarness({
    simulator: { clock: clock.now },
    client: { clock: clock.now },
    provider: { clock: clock.now, webhookToleranceMs: TOLERANCE_MS },
  });
  ({ simulator, client } = harness);
});
beforeEach(() => simulator.reset());
afterAll(() => harness?.close());

describe("ParseWebhook: replay window on X-TIMESTAMP", () => {
  it("refuses a genuine notification read after the window, claiming its payment; one signed anew is accepted", async () => {
    const payment = await pay();
    const captured = notificationOf(payment);
    expect((await parse(captured)).events).toHaveLength(1);

    clock.advance(TOLERANCE_MS + 1_000);
    expect(await outcome(captured)).toEqual({
      code: GrpcCode.UNAUTHENTICATED,
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      metadata: {
        [CLAIMED_PAYMENT_ID_KEY]: payment.paymentId,
        [CLAIMED_PROVIDER_REFERENCE_KEY]: payment.providerReference,
      },
    });
    const [event] = (await parse(notificationOf(payment))).events;
    expect(event).toMatchObject({
      paymentId: payment.paymentId,
      providerReference: payment.providerReference,
    });
  });
});

describe("ParseWebhook: claims of a notification that does not verify", () => {
  it("a forged notification naming a real payment carries both ids across gRPC", async () => {
    const payment = await pay();
    expect(await outcome(notificationOf(payment, true))).toEqual({
      code: GrpcCode.UNAUTHENTICATED,
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      metadata: {
        [CLAIMED_PAYMENT_ID_KEY]: payment.paymentId,
        [CLAIMED_PROVIDER_REFERENCE_KEY]: payment.providerReference,
      },
    });
  });

  it("an unsigned body that is not a notification carries no claim", async () => {
    expect(await outcome({ headers: {}, body: "<html>not a notification</html>" })).toEqual({
      code: GrpcCode.UNAUTHENTICATED,
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      metadata: {},
    });
  });
});
