import { create } from "@bufbuild/protobuf";
import { BankTransferMethodSchema, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { isSealedValueError } from "../envelope.ts";
import { createKeyRing, generateKeyEncryptionKey, type KeyRing } from "../key-ring.ts";
import type { PaymentMethod } from "../payment-record.ts";
import type { SqlPaymentStore } from "../sql-payment-store.ts";
import { createPaymentFixtures } from "./payment-fixtures.ts";

const METHOD: PaymentMethod = {
  case: "bankTransfer",
  value: create(BankTransferMethodSchema, {
    bankCode: "MANDIRI",
    accountNumber: "1370009988776",
    accountHolderName: "Siti Rahma",
  }),
};

/** The error `work` throws, which must be a SealedValueError. */
async function sealedValueError(work: () => unknown): Promise<Error> {
  try {
    await work();
  } catch (error) {
    if (isSealedValueError(error)) return error;
    throw error;
  }
  throw new Error("expected a SealedValueError");
}

/**
 * Rotating the key-encryption key (docs/architecture.md §7) on a durable store: `open` opens the
 * same, otherwise empty, database each time with the keys given.
 */
export function keyRotationContract(name: string, open: (keys: KeyRing) => Promise<SqlPaymentStore>): void {
  describe(`key rotation: ${name}`, () => {
    it("adds a key, re-wraps the data keys under it, retires the old one, and names a missing or wrong key", async () => {
      const fixtures = createPaymentFixtures();
      const old = generateKeyEncryptionKey("2026-01");
      const next = generateKeyEncryptionKey("2026-07");

      const first = await open(createKeyRing([old]));
      const { record: before } = await first.insert(fixtures.payment({ method: METHOD }));
      await first.close();
      expect(before.sealedMethod?.keyId).toBe("2026-01");

      // The new key seals from now on; the old one still opens what it sealed.
      const both = await open(createKeyRing([next, old]));
      const stored = await both.getById(before.id);
      if (stored === undefined) throw new Error("the payment was not stored");
      expect(stored.sealedMethod?.keyId).toBe("2026-01");
      expect(both.revealMethod(stored)).toEqual(METHOD);
      const { record: after } = await both.insert(fixtures.payment({ method: METHOD }));
      expect(after.sealedMethod?.keyId).toBe("2026-07");
      expect(await both.protectAtRest()).toEqual({ masked: 0, rewrapped: 1 });
      const rewrapped = await both.getById(before.id);
      expect(rewrapped?.sealedMethod?.keyId).toBe("2026-07");
      // Only the 60-byte data key changed: the sealed data itself was not touched.
      expect(rewrapped?.sealedMethod?.ciphertext).toEqual(stored.sealedMethod?.ciphertext);
      await both.close();

      // The old key retired: everything still opens with the new one alone.
      const retired = await open(createKeyRing([next]));
      expect(await retired.protectAtRest()).toEqual({ masked: 0, rewrapped: 0 });
      for (const id of [before.id, after.id]) {
        const record = await retired.getById(id);
        expect(record && retired.revealMethod(record)).toEqual(METHOD);
      }
      await retired.close();

      // Retiring the key still in use is named at start, and reads of the payment still work.
      const withoutNew = await open(createKeyRing([old]));
      try {
        const missing = await sealedValueError(() => withoutNew.protectAtRest());
        expect(missing.message).toMatch(
          /sealed with key 2026-07, which is not configured \(configured: 2026-01\)/,
        );
        const record = await withoutNew.getById(after.id);
        if (record === undefined) throw new Error("the payment could not be read without its key");
        expect(record.status).toBe(PaymentStatus.PENDING);
        const refused = await sealedValueError(() => withoutNew.revealMethod(record));
        expect(refused.message).toContain(`payment ${after.id}'s method`);
      } finally {
        await withoutNew.close();
      }

      // A key under the right id but with other bytes is caught the same way.
      const wrong = await open(createKeyRing([generateKeyEncryptionKey("2026-07")]));
      try {
        const error = await sealedValueError(() => wrong.protectAtRest());
        expect(error.message).toContain("key 2026-07 does not open its data keys");
      } finally {
        await wrong.close();
      }
    });
  });
}
