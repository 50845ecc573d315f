import { PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import type { PaymentStore } from "../payment-store.ts";
import type { PaymentFixtures } from "./payment-fixtures.ts";

/** The metrics gauges, as changes: the store is shared with other tests, so counts are compared before and after. */
export function gaugesContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  describe("gauges", () => {
    it("counts the resolver's backlog and reviews, with the oldest unresolved payment and outbox event", async () => {
      const before = await store().gauges();
      const later = { nextCheckAt: new Date(Date.now() + 3_600_000), attempts: 0 };
      const chased = (await store().insert(fixtures.payment({ resolution: later }))).record;
      const reviewed = (await store().insert(fixtures.payment())).record;
      await store().update(
        reviewed.id,
        1,
        { review: { reason: "amount differs", since: new Date() } },
        "webhook",
      );
      const during = await store().gauges();
      expect(during.resolverBacklog).toBe(before.resolverBacklog + 1);
      expect(during.inReview).toBe(before.inReview + 1);
      expect(during.oldestUnresolvedAt?.getTime()).toBeLessThanOrEqual(chased.createdAt.getTime());
      // Each insert wrote its creation event, not yet relayed.
      expect(during.oldestUnpublishedAt?.getTime()).toBeLessThanOrEqual(reviewed.createdAt.getTime());

      await store().update(chased.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
      expect((await store().gauges()).resolverBacklog).toBe(before.resolverBacklog);
    });
  });
}
