import { PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { maskedMethod } from "../payment-record.ts";
import type { PaymentStore } from "../payment-store.ts";
import { DECLINED, EVERY_METHOD, type PaymentFixtures, QR_ACTION } from "./payment-fixtures.ts";

/** insert, get, getById and the (caller, idempotency key) authority. */
export function insertContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  describe("insert", () => {
    it("stores every field of every method kind and reads it back by caller and by id", async () => {
      for (const method of EVERY_METHOD) {
        const record = fixtures.payment({
          method,
          metadata: { order: "A-1", "customer.tier": "gold", empty: "" },
          customerAction: QR_ACTION,
          failure: DECLINED,
          adapter: "xendit",
          providerReference: "ref-1",
          outcomeUnknown: true,
          resolution: { nextCheckAt: new Date("2031-01-02T03:04:05.001Z"), attempts: 3 },
          review: { reason: "provider silent past the horizon", since: new Date("2031-01-01T00:00:00.999Z") },
          expiresAt: new Date("2031-01-02T03:04:05.678Z"),
          updatedAt: new Date("2030-12-31T23:59:59.999Z"),
        });
        const result = await store().insert(record);
        // Kept masked in clear, and whole only sealed, while the payment is PENDING.
        expect(result.record.sealedMethod).toBeDefined();
        const stored = { ...record, method: maskedMethod(method), sealedMethod: result.record.sealedMethod };
        expect(result).toEqual({ inserted: true, record: stored });
        expect(await store().get(record.caller, record.id)).toEqual(stored);
        const read = await store().getById(record.id);
        expect(read).toEqual(stored);
        expect(read && store().revealMethod(read)).toEqual(method);
      }
    });

    it("keeps amounts beyond float precision exactly", async () => {
      for (const minorUnits of [9_007_199_254_740_993n, 9_223_372_036_854_775_807n, 0n]) {
        const record = fixtures.payment({ amount: { currency: "IDR", minorUnits } });
        await store().insert(record);
        expect((await store().getById(record.id))?.amount).toEqual({ currency: "IDR", minorUnits });
      }
    });

    it("hides a payment from other callers and answers unknown ids with undefined", async () => {
      const record = fixtures.payment();
      await store().insert(record);
      expect(await store().get(fixtures.caller(), record.id)).toBeUndefined();
      expect(await store().get(record.caller, `${record.id}-missing`)).toBeUndefined();
      expect(await store().getById(`${record.id}-missing`)).toBeUndefined();
    });

    it("returns the payment already holding (caller, key) and writes nothing else", async () => {
      const { record: first } = await store().insert(fixtures.payment());
      const second = fixtures.payment({
        caller: first.caller,
        idempotencyKey: first.idempotencyKey,
        amount: { currency: "IDR", minorUnits: 99n },
      });
      expect(await store().insert(second)).toEqual({ inserted: false, record: first });
      expect(await store().getById(second.id)).toBeUndefined();
      expect(await store().journal(first.id)).toHaveLength(1);
      expect(await store().journal(second.id)).toEqual([]);
    });

    it("scopes the key by caller: the same key under another caller is another payment", async () => {
      const first = fixtures.payment();
      await store().insert(first);
      const other = fixtures.payment({ idempotencyKey: first.idempotencyKey });
      expect((await store().insert(other)).inserted).toBe(true);
    });

    it("lets exactly one of 20 concurrent inserts of one (caller, key) win", async () => {
      const caller = fixtures.caller();
      const attempts = Array.from({ length: 20 }, () => fixtures.payment({ caller, idempotencyKey: "same" }));
      const results = await Promise.all(attempts.map((record) => store().insert(record)));
      const winners = results.filter((result) => result.inserted);
      expect(winners).toHaveLength(1);
      const winner = winners[0]?.record;
      for (const result of results) expect(result.record).toEqual(winner);
      const stored = await Promise.all(attempts.map((record) => store().getById(record.id)));
      expect(stored.filter((record) => record !== undefined)).toEqual([winner]);
      expect(await store().journal(winner?.id ?? "")).toHaveLength(1);
    });

    it("journals the initial status with cause api at the creation time", async () => {
      const record = fixtures.payment({ status: PaymentStatus.REQUIRES_ACTION });
      await store().insert(record);
      expect(await store().journal(record.id)).toEqual([
        {
          paymentId: record.id,
          from: PaymentStatus.REQUIRES_ACTION,
          to: PaymentStatus.REQUIRES_ACTION,
          cause: "api",
          at: record.createdAt,
        },
      ]);
    });
  });
}
