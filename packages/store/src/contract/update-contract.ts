import { create } from "@bufbuild/protobuf";
import { ErrorReason, PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import type { PaymentRecord } from "../payment-record.ts";
import type { PaymentStore } from "../payment-store.ts";
import { DECLINED, type PaymentFixtures, QR_ACTION } from "./payment-fixtures.ts";

/** update: versions, the forward-only state machine, the journal, references and subscribers. */
export function updateContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  const inserted = async (overrides: Partial<PaymentRecord> = {}): Promise<PaymentRecord> =>
    (await store().insert(fixtures.payment(overrides))).record;

  describe("update", () => {
    it("applies a forward change, bumps the version and returns what is stored", async () => {
      const record = await inserted();
      const result = await store().update(
        record.id,
        1,
        { status: PaymentStatus.REQUIRES_ACTION, adapter: "xendit", customerAction: QR_ACTION },
        "api",
      );
      expect(result.applied).toBe(true);
      if (!result.applied) return;
      expect(result.previous).toEqual(record);
      expect(result.record).toMatchObject({ status: PaymentStatus.REQUIRES_ACTION, version: 2 });
      expect(result.record.customerAction).toEqual(QR_ACTION);
      expect(result.record.updatedAt).toBeInstanceOf(Date);
      expect(await store().getById(record.id)).toEqual(result.record);
    });

    it("refuses a stale version and leaves the payment as it was", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { adapter: "xendit" }, "api");
      const stale = await store().update(record.id, 1, { status: PaymentStatus.PROCESSING }, "api");
      expect(stale).toMatchObject({
        applied: false,
        why: "stale",
        record: { version: 2, adapter: "xendit" },
      });
      expect((await store().getById(record.id))?.status).toBe(PaymentStatus.PENDING);
    });

    it("refuses a backwards status and journals nothing", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { status: PaymentStatus.PROCESSING }, "webhook");
      const before = await store().journal(record.id);
      const result = await store().update(record.id, 2, { status: PaymentStatus.PENDING }, "webhook");
      expect(result).toMatchObject({ applied: false, why: "backwards", record: { version: 2 } });
      expect(await store().journal(record.id)).toEqual(before);
      expect(await store().getById(record.id)).toMatchObject({
        status: PaymentStatus.PROCESSING,
        version: 2,
      });
    });

    it("keeps terminal statuses final", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
      for (const status of [PaymentStatus.FAILED, PaymentStatus.CANCELED, PaymentStatus.PROCESSING]) {
        expect(await store().update(record.id, 2, { status, failure: DECLINED }, "operator")).toMatchObject({
          applied: false,
          why: "backwards",
        });
      }
      expect(await store().getById(record.id)).toMatchObject({
        status: PaymentStatus.SUCCEEDED,
        failure: undefined,
      });
    });

    it("lets money that came back end a SUCCEEDED payment FAILED with PAYMENT_RETURNED, and nothing else", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
      const returned = create(PaymentFailureSchema, {
        reason: ErrorReason.PAYMENT_RETURNED,
        message: "bounced back",
        providerCode: "bounced_back",
      });
      const result = await store().update(
        record.id,
        2,
        { status: PaymentStatus.FAILED, failure: returned },
        "webhook",
      );
      expect(result).toMatchObject({ applied: true, record: { status: PaymentStatus.FAILED, version: 3 } });
      expect((await store().getById(record.id))?.failure?.reason).toBe(ErrorReason.PAYMENT_RETURNED);
      // Once returned, the payment is final like any other terminal state.
      expect(
        await store().update(record.id, 3, { status: PaymentStatus.SUCCEEDED }, "webhook"),
      ).toMatchObject({
        applied: false,
        why: "backwards",
      });
      expect((await store().journal(record.id)).map((entry) => entry.to)).toEqual([
        PaymentStatus.PENDING,
        PaymentStatus.SUCCEEDED,
        PaymentStatus.FAILED,
      ]);
    });

    it("changes and clears fields without a status change and without a journal row", async () => {
      const record = await inserted({
        customerAction: QR_ACTION,
        expiresAt: new Date("2031-05-06T07:08:09.010Z"),
      });
      const same = await store().update(
        record.id,
        1,
        { status: PaymentStatus.PENDING, outcomeUnknown: true },
        "api",
      );
      expect(same).toMatchObject({ applied: true, record: { version: 2, outcomeUnknown: true } });
      const cleared = await store().update(
        record.id,
        2,
        { customerAction: undefined, expiresAt: undefined },
        "api",
      );
      expect(cleared.applied).toBe(true);
      const stored = await store().getById(record.id);
      expect(stored).toMatchObject({ version: 3, customerAction: undefined, expiresAt: undefined });
      expect(await store().journal(record.id)).toHaveLength(1);
    });

    it("lets exactly one of 50 concurrent updates from one version apply", async () => {
      const record = await inserted();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, n) =>
          store().update(
            record.id,
            1,
            { status: PaymentStatus.PROCESSING, providerReference: `ref-${n}` },
            "webhook",
          ),
        ),
      );
      const applied = results.filter((result) => result.applied);
      expect(applied).toHaveLength(1);
      expect(results.filter((result) => !result.applied && result.why === "stale")).toHaveLength(49);
      expect(await store().getById(record.id)).toEqual(applied[0]?.record);
      expect(await store().journal(record.id)).toHaveLength(2);
    });

    it("journals every status change in order, with its cause", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { status: PaymentStatus.REQUIRES_ACTION }, "api");
      await store().update(record.id, 2, { adapter: "xendit" }, "resolver");
      await store().update(record.id, 3, { status: PaymentStatus.PROCESSING }, "webhook");
      await store().update(record.id, 4, { status: PaymentStatus.SUCCEEDED }, "resolver");
      const journal = await store().journal(record.id);
      expect(journal.map(({ from, to, cause }) => [from, to, cause])).toEqual([
        [PaymentStatus.PENDING, PaymentStatus.PENDING, "api"],
        [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, "api"],
        [PaymentStatus.REQUIRES_ACTION, PaymentStatus.PROCESSING, "webhook"],
        [PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED, "resolver"],
      ]);
      expect(journal.every((entry) => entry.paymentId === record.id && entry.at instanceof Date)).toBe(true);
      expect(journal[0]?.at).toEqual(record.createdAt);
    });

    it("finds a payment by adapter and provider reference", async () => {
      const record = await inserted();
      const reference = `ref-${record.id}`;
      expect(await store().findByProviderReference("xendit", reference)).toBeUndefined();
      await store().update(record.id, 1, { adapter: "xendit", providerReference: reference }, "api");
      expect((await store().findByProviderReference("xendit", reference))?.id).toBe(record.id);
      expect(await store().findByProviderReference("midtrans", reference)).toBeUndefined();
      expect(await store().findByProviderReference("xendit", "")).toBeUndefined();
    });

    it("tells subscribers about applied changes until they unsubscribe", async () => {
      const record = await inserted();
      const seen: Array<[number, number]> = [];
      const unsubscribe = store().subscribe(record.id, (next, previous) =>
        seen.push([previous.version, next.version]),
      );
      await store().update(record.id, 1, { status: PaymentStatus.PROCESSING }, "webhook");
      await store().update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
      expect(seen).toEqual([[1, 2]]);
      unsubscribe();
      await store().update(record.id, 2, { status: PaymentStatus.SUCCEEDED }, "webhook");
      expect(seen).toEqual([[1, 2]]);
    });

    it("rejects an update of a payment that does not exist", async () => {
      await expect(store().update(`${fixtures.payment().id}-missing`, 1, {}, "api")).rejects.toThrow();
    });
  });
}
