import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { adapterv1, PaymentStatus } from "@paymesh/proto";
import { createMemoryPaymentStore, type PaymentRecord } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { describe, expect, it } from "vitest";
import { applyWebhookEvent } from "./apply-webhook-event.ts";

const fixtures = createPaymentFixtures();
const store = createMemoryPaymentStore();

async function requiresAction(overrides: Partial<PaymentRecord> = {}): Promise<PaymentRecord> {
  const { record } = await store.insert(fixtures.payment({ adapter: "qris", ...overrides }));
  const moved = await store.update(record.id, 1, { status: PaymentStatus.REQUIRES_ACTION }, "api");
  if (!moved.applied) throw new Error("setup failed");
  return moved.record;
}

let events = 0;
const event = (fields: MessageInitShape<typeof adapterv1.WebhookEventSchema>) =>
  create(adapterv1.WebhookEventSchema, { eventId: `evt-${++events}`, ...fields });

describe("applyWebhookEvent", () => {
  it("moves the payment, fills a missing provider reference and records the event as applied", async () => {
    const payment = await requiresAction();
    const after = await applyWebhookEvent(
      store,
      "qris",
      event({
        eventId: "paid-1",
        paymentId: payment.id,
        providerReference: "ref-9",
        status: PaymentStatus.SUCCEEDED,
      }),
    );
    expect(after).toMatchObject({ status: PaymentStatus.SUCCEEDED, providerReference: "ref-9" });
    expect(await store.providerEvents(payment.id)).toMatchObject([{ eventId: "paid-1", outcome: "applied" }]);
  });

  it("finds a payment by the provider's reference when the event does not echo our id", async () => {
    const payment = await requiresAction({ providerReference: "ref-only" });
    const after = await applyWebhookEvent(
      store,
      "qris",
      event({ providerReference: "ref-only", status: PaymentStatus.SUCCEEDED }),
    );
    expect(after?.id).toBe(payment.id);
    expect(after?.status).toBe(PaymentStatus.SUCCEEDED);
  });

  it("returns undefined, changing nothing, for an unknown payment or another adapter's", async () => {
    const payment = await requiresAction();
    const paid = { status: PaymentStatus.SUCCEEDED };
    expect(
      await applyWebhookEvent(store, "qris", event({ paymentId: "pay_unknown", ...paid })),
    ).toBeUndefined();
    expect(await applyWebhookEvent(store, "va", event({ paymentId: payment.id, ...paid }))).toBeUndefined();
    expect((await store.getById(payment.id))?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(await store.providerEvents(payment.id)).toEqual([]);
  });

  it("records a late event that would move the payment backwards, without applying it", async () => {
    const payment = await requiresAction();
    await applyWebhookEvent(
      store,
      "qris",
      event({ eventId: "paid-2", paymentId: payment.id, status: PaymentStatus.SUCCEEDED }),
    );
    const after = await applyWebhookEvent(
      store,
      "qris",
      event({ eventId: "pending-2", paymentId: payment.id, status: PaymentStatus.REQUIRES_ACTION }),
    );
    expect(after?.status).toBe(PaymentStatus.SUCCEEDED);
    const outcomes = (await store.providerEvents(payment.id)).map((recorded) => [
      recorded.eventId,
      recorded.outcome,
    ]);
    expect(outcomes).toEqual([
      ["paid-2", "applied"],
      ["pending-2", "ignored"],
    ]);
    expect((await store.journal(payment.id)).map((entry) => entry.to)).toEqual([
      PaymentStatus.PENDING,
      PaymentStatus.REQUIRES_ACTION,
      PaymentStatus.SUCCEEDED,
    ]);
  });

  it("raises a payment for review instead of settling it when the provider reports another amount", async () => {
    const payment = await requiresAction({ amount: { currency: "IDR", minorUnits: 2_500_000n } });
    const after = await applyWebhookEvent(
      store,
      "qris",
      event({
        eventId: "short-paid",
        paymentId: payment.id,
        status: PaymentStatus.SUCCEEDED,
        amount: { currency: "IDR", minorUnits: 100n },
      }),
    );
    expect(after?.status).toBe(PaymentStatus.REQUIRES_ACTION);
    expect(after?.review?.reason).toBe("qris reported 100 IDR minor units for a payment of 2500000");
    expect(await store.providerEvents(payment.id)).toMatchObject([
      { eventId: "short-paid", outcome: "ignored" },
    ]);
  });
});
