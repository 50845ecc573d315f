import { create } from "@bufbuild/protobuf";
import { ErrorReason, PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import { createMemoryPaymentStore, type PaymentRecord } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";
import { describe, expect, it } from "vitest";
import { applyChange } from "./apply-change.ts";
import { observePayments, type WebhookApplyResult } from "./payment-observation.ts";

describe("observePayments", () => {
  function observed() {
    const seen = {
      created: [] as string[],
      finished: [] as Array<[string, PaymentStatus]>,
      events: [] as WebhookApplyResult[],
    };
    const store = observePayments(createMemoryPaymentStore(), {
      onCreated: (record) => seen.created.push(record.id),
      onFinished: (record) => seen.finished.push([record.id, record.status]),
      onProviderEvent: (_adapter, result) => seen.events.push(result),
    });
    return { store, seen };
  }
  const fixtures = createPaymentFixtures();

  it("sees a payment created once and finished once, however often it is retried or returned", async () => {
    const { store, seen } = observed();
    const record = fixtures.payment({ adapter: "remit" });
    await store.insert(record);
    await store.insert(record); // the same idempotency key again: not a new payment
    const settled = await applyChange(store, record.id, { status: PaymentStatus.SUCCEEDED }, "api");
    // Money coming back later moves SUCCEEDED to FAILED: the payment had already finished.
    const returned = create(PaymentFailureSchema, {
      reason: ErrorReason.PAYMENT_RETURNED,
      message: "bounced",
    });
    const failed = await applyChange(
      store,
      settled,
      { status: PaymentStatus.FAILED, failure: returned },
      "webhook",
    );
    expect(failed.status).toBe(PaymentStatus.FAILED);
    expect(seen.created).toEqual([record.id]);
    expect(seen.finished).toEqual([[record.id, PaymentStatus.SUCCEEDED]]);
  });

  it("reports what each provider event did: applied, same status, ignored, duplicate", async () => {
    const { store, seen } = observed();
    const record: PaymentRecord = (await store.insert(fixtures.payment({ adapter: "qris" }))).record;
    const event = (eventId: string, claimedStatus: PaymentStatus) => ({
      adapter: "qris",
      eventId,
      claimedStatus,
    });
    await applyChange(
      store,
      record.id,
      { status: PaymentStatus.PROCESSING },
      "webhook",
      event("e1", PaymentStatus.PROCESSING),
    );
    await applyChange(
      store,
      record.id,
      { status: PaymentStatus.PROCESSING },
      "webhook",
      event("e2", PaymentStatus.PROCESSING),
    );
    await applyChange(
      store,
      record.id,
      { status: PaymentStatus.REQUIRES_ACTION },
      "webhook",
      event("e3", PaymentStatus.REQUIRES_ACTION),
    );
    await applyChange(
      store,
      record.id,
      { status: PaymentStatus.PROCESSING },
      "webhook",
      event("e1", PaymentStatus.PROCESSING),
    );
    expect(seen.events).toEqual(["applied", "same_status", "ignored", "duplicate"]);
  });
});
