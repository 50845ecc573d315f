import { PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import type { PaymentRecord } from "../payment-record.ts";
import type { PaymentFilter, PaymentStore } from "../payment-store.ts";
import { EVERY_METHOD, type PaymentFixtures } from "./payment-fixtures.ts";

const ALL: PaymentFilter = { statuses: [], methods: [] };
const STATUSES = [PaymentStatus.PENDING, PaymentStatus.SUCCEEDED, PaymentStatus.FAILED];

/** list: newest first, filters, the time range and keyset paging. */
export function listContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  /** `count` payments of one new caller a minute apart, oldest first, statuses and methods rotating. */
  async function seed(count: number): Promise<PaymentRecord[]> {
    const caller = fixtures.caller();
    const start = Date.now() - count * 60_000;
    const records: PaymentRecord[] = [];
    for (let n = 0; n < count; n++) {
      const createdAt = new Date(start + n * 60_000);
      const record = fixtures.payment({
        caller,
        createdAt,
        updatedAt: createdAt,
        status: STATUSES[n % STATUSES.length] ?? PaymentStatus.PENDING,
        method: EVERY_METHOD[n % EVERY_METHOD.length] ?? { case: undefined },
      });
      records.push((await store().insert(record)).record);
    }
    return records;
  }
  const ids = (records: readonly PaymentRecord[]) => records.map((record) => record.id);
  const newestFirst = (records: readonly PaymentRecord[]) => ids(records).reverse();

  describe("list", () => {
    it("lists a caller's payments newest first and nobody else's", async () => {
      const records = await seed(4);
      await seed(2);
      const page = await store().list(records[0]?.caller ?? "", ALL, 10, undefined);
      expect(page.payments).toEqual([...records].reverse());
      expect(page.after).toBeUndefined();
      expect(await store().list(fixtures.caller(), ALL, 10, undefined)).toEqual({
        payments: [],
        after: undefined,
      });
    });

    it("filters by status and by method type", async () => {
      const records = await seed(8);
      const caller = records[0]?.caller ?? "";
      const done = [PaymentStatus.SUCCEEDED, PaymentStatus.FAILED];
      const byStatus = await store().list(caller, { statuses: done, methods: [] }, 10, undefined);
      expect(ids(byStatus.payments)).toEqual(
        newestFirst(records.filter((record) => done.includes(record.status))),
      );
      const methods = [PaymentMethodType.QRIS, PaymentMethodType.REMITTANCE];
      const byMethod = await store().list(caller, { statuses: [], methods }, 10, undefined);
      const qrisOrRemittance = records.filter(
        (record) => record.method.case === "qris" || record.method.case === "remittance",
      );
      expect(ids(byMethod.payments)).toEqual(newestFirst(qrisOrRemittance));
      const both = await store().list(caller, { statuses: done, methods }, 10, undefined);
      expect(ids(both.payments)).toEqual(
        newestFirst(qrisOrRemittance.filter((record) => done.includes(record.status))),
      );
    });

    it("filters by creation time, from createdAfter inclusive to createdBefore exclusive", async () => {
      const records = await seed(6);
      const [, , from, , , until] = records;
      const filter = {
        ...ALL,
        createdAfter: from?.createdAt ?? new Date(),
        createdBefore: until?.createdAt ?? new Date(),
      };
      const page = await store().list(records[0]?.caller ?? "", filter, 10, undefined);
      expect(ids(page.payments)).toEqual(newestFirst(records.slice(2, 5)));
    });

    it("pages without duplicates or omissions, even while payments are added", async () => {
      const records = await seed(7);
      const caller = records[0]?.caller ?? "";
      const seen: string[] = [];
      const sizes: number[] = [];
      let after: string | undefined;
      do {
        const page = await store().list(caller, ALL, 3, after);
        seen.push(...ids(page.payments));
        sizes.push(page.payments.length);
        after = page.after;
        // A payment created mid-listing is newer than every cursor: it must not shift later pages.
        await store().insert(fixtures.payment({ caller }));
      } while (after !== undefined);
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(newestFirst(records));
    });

    it("offers no next page when the last page is exactly full", async () => {
      const records = await seed(6);
      const caller = records[0]?.caller ?? "";
      const first = await store().list(caller, ALL, 3, undefined);
      expect(first.after).toBe(first.payments[2]?.id);
      const second = await store().list(caller, ALL, 3, first.after);
      expect(ids(second.payments)).toEqual(newestFirst(records.slice(0, 3)));
      expect(second.after).toBeUndefined();
    });
  });
}
