import { create } from "@bufbuild/protobuf";
import { ErrorReason, PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import type { PaymentRecord } from "../payment-record.ts";
import type { PaymentStore } from "../payment-store.ts";
import type { PaymentFixtures } from "./payment-fixtures.ts";

/**
 * Requests an adapter rejected as invalid (PaymentRecord.rejectedAt): kept for the audit trail,
 * never shown to their caller. And listUnresolved, the operators' view of everything the resolver
 * or a person still owes an answer.
 */
export function rejectionContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  const inserted = async (overrides: Partial<PaymentRecord> = {}): Promise<PaymentRecord> => {
    const result = await store().insert(fixtures.payment(overrides));
    expect(result.inserted).toBe(true);
    return result.record;
  };
  const soon = { nextCheckAt: new Date("2036-01-02T03:04:05.678Z"), attempts: 0 };

  describe("a rejected request", () => {
    it("is hidden from get and list, kept with its journal for getById", async () => {
      const record = await inserted({ resolution: soon });
      const kept = await inserted({ caller: record.caller });
      const failure = create(PaymentFailureSchema, {
        reason: ErrorReason.QUOTE_NOT_FOUND,
        message: "no quote",
      });
      const rejectedAt = new Date("2036-01-02T03:04:06.000Z");
      const result = await store().update(
        record.id,
        record.version,
        { status: PaymentStatus.FAILED, failure, resolution: undefined, rejectedAt },
        "api",
      );
      expect(result.applied).toBe(true);

      expect(await store().get(record.caller, record.id)).toBeUndefined();
      const page = await store().list(record.caller, { statuses: [], methods: [] }, 10, undefined);
      expect(page.payments.map((payment) => payment.id)).toEqual([kept.id]);
      const failed = await store().list(
        record.caller,
        { statuses: [PaymentStatus.FAILED], methods: [] },
        10,
        undefined,
      );
      expect(failed.payments).toEqual([]);
      expect(await store().getById(record.id)).toMatchObject({ status: PaymentStatus.FAILED, rejectedAt });
      expect((await store().journal(record.id)).map((entry) => entry.to)).toEqual([
        PaymentStatus.PENDING,
        PaymentStatus.FAILED,
      ]);
      expect((await store().listUnresolved(1000)).map((payment) => payment.id)).not.toContain(record.id);
    });
  });

  describe("listUnresolved", () => {
    it("holds every payment with a check owed or under review, of every caller, with the last answer", async () => {
      const scheduled = await inserted({
        outcomeUnknown: true,
        resolution: { ...soon, attempts: 3, lastAnswer: "adapter qris: UNAVAILABLE" },
      });
      // Accepted by the provider, waiting for its webhook: not "unresolved" to ListPayments, still owed a check.
      const waiting = await inserted({ status: PaymentStatus.PROCESSING, resolution: soon });
      const review = await inserted({ review: { reason: "past the horizon", since: new Date() } });
      const plain = await inserted();
      const finished = await inserted({ status: PaymentStatus.SUCCEEDED, resolution: soon });

      const ids = (await store().listUnresolved(1000)).map((payment) => payment.id);
      expect(ids).toEqual(expect.arrayContaining([scheduled.id, waiting.id, review.id]));
      expect(ids).not.toContain(plain.id);
      expect(ids).not.toContain(finished.id);
      // Newest first.
      expect(ids.indexOf(review.id)).toBeLessThan(ids.indexOf(scheduled.id));
      const found = (await store().listUnresolved(1000)).find((payment) => payment.id === scheduled.id);
      expect(found?.resolution).toEqual({ ...soon, attempts: 3, lastAnswer: "adapter qris: UNAVAILABLE" });
      await expect(store().listUnresolved(-1)).rejects.toThrow(RangeError);
    });
  });
}
