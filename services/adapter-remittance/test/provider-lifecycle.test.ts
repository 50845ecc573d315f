import { timestampDate } from "@bufbuild/protobuf/wkt";
import { GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { type adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import { useFixture, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { startReceiver } from "../sandbox/test-support.ts";
import { idrQuote, remittancePayment, startAdapter } from "./harness.ts";

/** Creates a funded payment to `accountNumber` and returns its ids. */
async function pay(accountNumber = "37778842") {
  const request = remittancePayment(await idrQuote(fixture()), accountNumber);
  const created = await fixture().client.createPayment(request, deadline());
  return { paymentId: request.paymentId ?? "", providerReference: created.payment?.providerReference ?? "" };
}

/** The funding webhook goes out on its own while CreatePayment runs; wait for it so order is known. */
const fundingWebhooks = (count: number) =>
  waitFor(() => (receiver().received.length >= count ? true : undefined));
const occurred = (event: adapterv1.WebhookEvent) =>
  event.occurredAt ? timestampDate(event.occurredAt).getTime() : 0;

const status = (payment: { paymentId: string; providerReference: string }) =>
  fixture()
    .client.getPaymentStatus(payment, deadline())
    .then((answer) => answer.payment);

/** Everything the receiver got, verified and parsed by the adapter the way the router would. */
async function parsedEvents(): Promise<adapterv1.WebhookEvent[]> {
  const events: adapterv1.WebhookEvent[] = [];
  for (const webhook of receiver().received) {
    const parsed = await fixture().client.parseWebhook(
      {
        httpMethod: "POST",
        path: webhook.path,
        headers: Object.entries(webhook.headers).map(([name, value]) => ({ name, value: String(value) })),
        body: webhook.body,
      },
      deadline(),
    );
    events.push(...parsed.events);
  }
  return events;
}

const receiver = useFixture(startReceiver, (started) => {
  started.received.length = 0;
});
const fixture = useFixture(startAdapter, (started) => {
  started.simulator.reset();
  started.simulator.configure({ notifyUrl: receiver().url });
});

describe("a transfer's life, by status query", () => {
  it("an ordinary account: SUCCEEDED once Wise sent the money", async () => {
    const payment = await pay();
    await fixture().simulator.advance({ transferId: payment.providerReference }, "complete");
    expect(await status(payment)).toMatchObject({
      status: PaymentStatus.SUCCEEDED,
      providerStatus: "outgoing_payment_sent",
    });
  });

  it("…9001: funds_refunded is FAILED", async () => {
    const payment = await pay("10009001");
    await fixture().simulator.advance({ transferId: payment.providerReference }, "complete");
    expect(await status(payment)).toMatchObject({
      status: PaymentStatus.FAILED,
      failure: { reason: ErrorReason.PROVIDER_DECLINED, providerCode: "funds_refunded" },
    });
  });

  it("…9002: SUCCEEDED when sent, then FAILED PAYMENT_RETURNED when it bounces back", async () => {
    const payment = await pay("10009002");
    await fixture().simulator.advance({ transferId: payment.providerReference }, "outgoing_payment_sent");
    expect((await status(payment))?.status).toBe(PaymentStatus.SUCCEEDED);
    await fixture().simulator.advance({ transferId: payment.providerReference }, "complete");
    expect(await status(payment)).toMatchObject({
      status: PaymentStatus.FAILED,
      providerStatus: "bounced_back",
      failure: { reason: ErrorReason.PAYMENT_RETURNED },
    });
  });

  it("…9003: charged_back is FAILED", async () => {
    const payment = await pay("10009003");
    await fixture().simulator.advance({ transferId: payment.providerReference }, "complete");
    expect((await status(payment))?.failure?.providerCode).toBe("charged_back");
  });

  it("NOT_FOUND for a transfer that is another payment's, and for an unknown transfer id", async () => {
    const mine = await pay();
    const other = await pay();
    const crossed = await rejection(
      fixture().client.getPaymentStatus({
        paymentId: mine.paymentId,
        providerReference: other.providerReference,
      }),
    );
    expect({ code: crossed.code, reason: crossed.reason }).toEqual({
      code: GrpcCode.NOT_FOUND,
      reason: ErrorReason.PAYMENT_NOT_FOUND,
    });
    const unknown = await rejection(
      fixture().client.getPaymentStatus({ paymentId: mine.paymentId, providerReference: "1" }),
    );
    expect(unknown.reason).toBe(ErrorReason.PAYMENT_NOT_FOUND);
  });

  it("refuses to cancel a funded transfer: PAYMENT_NOT_CANCELABLE", async () => {
    const payment = await pay();
    const error = await rejection(fixture().client.cancelPayment(payment, deadline()));
    expect({ code: error.code, reason: error.reason, provider: error.metadata.provider_code }).toEqual({
      code: GrpcCode.FAILED_PRECONDITION,
      reason: ErrorReason.PAYMENT_NOT_CANCELABLE,
      provider: "transfer.cancel.not.allowed",
    });
  });
});

describe("a transfer's life, by webhook", () => {
  it("verifies every delivered webhook and yields one event per change, in order", async () => {
    const payment = await pay("10009002");
    await fundingWebhooks(1);
    await fixture().simulator.advance({ transferId: payment.providerReference }, "complete");
    const events = await parsedEvents();
    expect(events.map((e) => e.providerStatus)).toEqual([
      "processing",
      "funds_converted",
      "outgoing_payment_sent",
      "bounced_back",
    ]);
    expect(events.every((e) => e.providerReference === payment.providerReference)).toBe(true);
    expect(events.at(-1)).toMatchObject({
      status: PaymentStatus.FAILED,
      failure: { reason: ErrorReason.PAYMENT_RETURNED },
    });
  });

  it("duplicated and reordered deliveries dedupe by event id and order by occurred_at", async () => {
    fixture().simulator.configure({ duplicateCallbacks: true, reorderCallbacks: true });
    const payment = await pay();
    await fundingWebhooks(2);
    receiver().received.length = 0; // keep only this action's deliveries
    await fixture().simulator.advance({ transferId: payment.providerReference }, "complete");
    const events = await parsedEvents();
    expect(events.map((e) => e.providerStatus)).toEqual([
      "outgoing_payment_sent",
      "outgoing_payment_sent",
      "funds_converted",
      "funds_converted",
    ]);
    const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
    expect(unique).toHaveLength(2);
    const ordered = unique.sort((a, b) => occurred(a) - occurred(b));
    expect(ordered.map((e) => e.status)).toEqual([PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED]);
  });
});

describe("ListSettlements", () => {
  it("lists the day's funded transfers with their fee, by provider reference", async () => {
    const payment = await pay();
    await pay("10009001").then((refunded) =>
      fixture().simulator.advance({ transferId: refunded.providerReference }, "complete"),
    );
    const today = new Date().toISOString().slice(0, 10);
    const settlements = [];
    for await (const answer of fixture().client.listSettlements({ date: today }, deadline()))
      settlements.push(...answer.settlements);
    // Two funded transfers (DEBIT), and the money of the refunded one coming back (CREDIT).
    expect(settlements.map((line) => line.providerStatus)).toEqual(["DEBIT", "DEBIT", "CREDIT"]);
    expect(settlements[0]).toMatchObject({
      paymentId: "",
      providerReference: payment.providerReference,
      amount: { currency: "IDR", minorUnits: 1_500_000_00n },
      fee: { currency: "IDR", minorUnits: 11_750_00n },
      providerStatus: "DEBIT",
    });
    const none = [];
    for await (const answer of fixture().client.listSettlements({ date: "2001-01-01" }, deadline()))
      none.push(answer);
    expect(none).toHaveLength(0);
  });
});
