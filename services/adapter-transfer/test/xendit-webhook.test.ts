import { timestampDate } from "@bufbuild/protobuf/wkt";
import { CLAIMED_PAYMENT_ID_KEY, CLAIMED_PROVIDER_REFERENCE_KEY, GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { createTestClock, useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { FAILURE_CODES, FORGED_CALLBACK_TOKEN, simulatorDefaults } from "../sandbox/index.ts";
import { createCallbackReceiver } from "../sandbox/test-support.ts";
import { type Harness, startHarness, transferRequest } from "./harness.ts";

const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));

type Headers = Record<string, string | string[] | undefined>;

/** A ParseWebhook request from raw headers and body, as the router forwards them. */
function webhook(headers: Headers, body: string) {
  return {
    httpMethod: "POST",
    path: "/webhooks/transfer",
    headers: Object.entries(headers)
      .filter((entry): entry is [string, string] => typeof entry[1] === "string")
      .map(([name, value]) => ({ name: name.toLowerCase(), value })),
    body: new TextEncoder().encode(body),
  };
}

/** Creates a payout through the adapter and returns its ids. */
async function payout(on: Harness, accountNumber = "1234567890") {
  const request = transferRequest({ accountNumber });
  const created = await on.client.createPayment(request, deadline());
  return { paymentId: request.paymentId, id: created.payment?.providerReference ?? "" };
}

const receiver = useFixture(createCallbackReceiver, (started) => {
  started.received.length = 0;
});
const harness = useFixture(
  () => startHarness({ simulator: { clock: clock.now, notifyUrl: receiver().url } }),
  async (started) => {
    started.simulator.reset();
    await started.simulator.configure({ notifyUrl: receiver().url });
  },
);
const trusting = useFixture(() => startHarness({ provider: { confirmCallbacks: false } }));

describe("ParseWebhook", () => {
  it("accepts a delivered callback, confirmed with Xendit, and answers 2xx", async () => {
    const { paymentId, id } = await payout(harness());
    clock.advance(60_000);
    await harness().simulator.complete({ id });
    const [delivered] = receiver().received;
    if (delivered === undefined) throw new Error("no callback");
    const parsed = await harness().client.parseWebhook(
      webhook(delivered.headers as Headers, delivered.body),
      deadline(),
    );
    expect(parsed.events).toHaveLength(1);
    const event = parsed.events[0];
    expect(event).toMatchObject({
      paymentId,
      providerReference: id,
      status: PaymentStatus.SUCCEEDED,
      providerStatus: "COMPLETED",
      amount: { currency: "IDR", minorUnits: 15_000_000n },
    });
    expect(event?.eventId).toMatch(/^xendit-[0-9a-f]{32}$/);
    expect(event?.occurredAt && timestampDate(event.occurredAt).toISOString()).toBe(
      "2024-03-05T03:01:00.000Z",
    );
    expect(parsed.reply?.httpStatus).toBe(200);
    expect(harness().logged.at(-1)).toMatchObject({ operation: "getDisbursement", responseStatus: 200 });
  });

  it("gives a duplicate delivery the same event id, and a later state a new one", async () => {
    await harness().simulator.configure({ duplicateCallbacks: true });
    const { id } = await payout(harness());
    const pending = harness().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: false });
    await harness().simulator.complete({ id });
    expect(receiver().received).toHaveLength(2);
    const ids = [];
    for (const callback of [pending, ...receiver().received]) {
      const parsed = await harness().client.parseWebhook(
        webhook(callback.headers as Headers, callback.body),
        deadline(),
      );
      ids.push(parsed.events[0]?.eventId);
    }
    // The PENDING copy is confirmed against Xendit too, which by now says COMPLETED.
    expect(new Set(ids).size).toBe(1);
    const trustedPending = await trusting().client.parseWebhook(
      webhook(pending.headers, pending.body),
      deadline(),
    );
    expect(trustedPending.events[0]?.eventId).not.toBe(ids[0]);
  });

  it("rejects a forged token, a missing header and an empty one as WEBHOOK_SIGNATURE_INVALID, with the body's claims", async () => {
    const { paymentId, id } = await payout(harness());
    const forged = harness().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: true });
    expect(forged.headers["x-callback-token"]).toBe(FORGED_CALLBACK_TOKEN);
    const genuine = harness().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: false });
    const variants: Headers[] = [
      forged.headers,
      { "content-type": "application/json" },
      { "x-callback-token": "" },
      { "x-callback-token": `${simulatorDefaults.callbackToken} ` },
    ];
    for (const headers of variants) {
      const error = await rejection(
        harness().client.parseWebhook(webhook(headers, genuine.body), deadline()),
      );
      expect({ code: error.code, reason: error.reason, metadata: error.metadata }).toEqual({
        code: GrpcCode.UNAUTHENTICATED,
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        // external_id is the payment id itself, so it is claimed as such.
        metadata: { [CLAIMED_PAYMENT_ID_KEY]: paymentId, [CLAIMED_PROVIDER_REFERENCE_KEY]: id },
      });
    }
    expect(harness().simulator.stats().requests["get-disbursement"]).toBeUndefined();
    const accepted = await harness().client.parseWebhook(webhook(genuine.headers, genuine.body), deadline());
    expect(accepted.events[0]).toMatchObject({ paymentId, providerReference: id });
  });

  it("a refused body that is not a disbursement callback claims nothing", async () => {
    const { id } = await payout(harness());
    const forged = harness().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: true });
    const record = JSON.parse(forged.body) as Record<string, unknown>;
    const bodies = [
      "<html>not a callback</html>",
      "",
      "[1,2]",
      "{}",
      JSON.stringify({ ...record, external_id: undefined }),
      JSON.stringify({ ...record, id: undefined }),
      JSON.stringify({ ...record, amount: "150000" }),
      JSON.stringify({ ...record, id: "has spaces in it", external_id: "x".repeat(500) }),
    ];
    for (const body of bodies) {
      const error = await rejection(harness().client.parseWebhook(webhook(forged.headers, body), deadline()));
      expect({ code: error.code, reason: error.reason, metadata: error.metadata }, body).toEqual({
        code: GrpcCode.UNAUTHENTICATED,
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        metadata: {},
      });
    }
  });

  it("reports Xendit's record, not a tampered body; a body naming no payout is refused", async () => {
    const { paymentId, id } = await payout(harness());
    const genuine = harness().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: false });
    const tampered = genuine.body.replace('"status":"PENDING"', '"status":"COMPLETED"');
    const confirmed = await harness().client.parseWebhook(webhook(genuine.headers, tampered), deadline());
    expect(confirmed.events[0]).toMatchObject({
      paymentId,
      status: PaymentStatus.PROCESSING,
      providerStatus: "PENDING",
    });

    for (const body of [
      genuine.body.replace(id, "000000000000000000000000"),
      genuine.body.replace(paymentId, "pay_x"),
    ]) {
      const error = await rejection(
        harness().client.parseWebhook(webhook(genuine.headers, body), deadline()),
      );
      expect(error.reason).toBe(ErrorReason.WEBHOOK_SIGNATURE_INVALID);
    }
    for (const body of ["not json", "{}"]) {
      const error = await rejection(
        harness().client.parseWebhook(webhook(genuine.headers, body), deadline()),
      );
      expect({ code: error.code, field: error.metadata.field?.startsWith("body") }).toEqual({
        code: GrpcCode.INVALID_ARGUMENT,
        field: true,
      });
    }
  });

  it("without confirmation trusts the verified body (XENDIT_CONFIRM_CALLBACKS=0)", async () => {
    const { id } = await payout(trusting());
    const genuine = trusting().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: false });
    const tampered = genuine.body.replace('"status":"PENDING"', '"status":"COMPLETED"');
    const parsed = await trusting().client.parseWebhook(webhook(genuine.headers, tampered), deadline());
    expect(parsed.events[0]?.status).toBe(PaymentStatus.SUCCEEDED);
    expect(trusting().simulator.stats().requests["get-disbursement"]).toBeUndefined();
  });

  it("turns each failure code into a FAILED event with its unified reason", async () => {
    for (const index of FAILURE_CODES.keys()) {
      const { id } = await payout(harness(), `9999999${101 + index}`);
      await harness().simulator.complete({ id });
    }
    const failures = [];
    for (const callback of receiver().received) {
      const parsed = await harness().client.parseWebhook(
        webhook(callback.headers as Headers, callback.body),
        deadline(),
      );
      failures.push([
        parsed.events[0]?.status,
        parsed.events[0]?.failure?.providerCode,
        parsed.events[0]?.failure?.reason,
      ]);
    }
    expect(failures).toEqual(FAILURE_CODES.map((code) => [PaymentStatus.FAILED, code, expect.any(Number)]));
    expect(failures.map((f) => ErrorReason[Number(f[2])])).toEqual([
      "INSUFFICIENT_FUNDS",
      "INVALID_DESTINATION",
      "REJECTED_BY_BANK",
      "PROVIDER_UNAVAILABLE",
      "PROVIDER_ERROR",
      "PROVIDER_DECLINED",
      "PROVIDER_UNAVAILABLE",
      "PROVIDER_UNAVAILABLE",
    ]);
  });

  it("keeps out-of-order callbacks apart: each event names its payout and when it happened", async () => {
    await harness().simulator.configure({ reorderCallbacks: true });
    const first = await payout(harness());
    const second = await payout(harness());
    await harness().simulator.complete({ id: first.id });
    clock.advance(5_000);
    await harness().simulator.complete({ id: second.id }, { failureCode: "REJECTED_BY_BANK" });
    const events = [];
    for (const callback of receiver().received) {
      const parsed = await harness().client.parseWebhook(
        webhook(callback.headers as Headers, callback.body),
        deadline(),
      );
      events.push(parsed.events[0]);
    }
    expect(events.map((e) => [e?.paymentId, e?.status])).toEqual([
      [second.paymentId, PaymentStatus.FAILED],
      [first.paymentId, PaymentStatus.SUCCEEDED],
    ]);
    const [late, early] = events.map((e) => (e?.occurredAt ? timestampDate(e.occurredAt).getTime() : 0));
    expect((late ?? 0) - (early ?? 0)).toBe(5_000);
  });

  it("answers UNAVAILABLE when Xendit cannot confirm, so the router asks for redelivery", async () => {
    const { id } = await payout(harness());
    const genuine = harness().simulator.webhook({ id }, { path: "/webhooks/transfer", forged: false });
    // Every attempt of the (retried) confirming read fails.
    await harness().simulator.configure({ failNext: { count: 3, error_code: "SERVER_ERROR" } });
    const error = await rejection(
      harness().client.parseWebhook(webhook(genuine.headers, genuine.body), deadline()),
    );
    expect({ code: error.code, reason: error.reason }).toEqual({
      code: GrpcCode.UNAVAILABLE,
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
    });
  });
});
