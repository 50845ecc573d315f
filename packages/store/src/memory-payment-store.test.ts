import { PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { createPaymentFixtures, runPaymentStoreContract } from "./contract/index.ts";
import { createMemoryPaymentStore } from "./memory-payment-store.ts";

runPaymentStoreContract("memory", async () => ({ store: createMemoryPaymentStore() }));

describe("the in-memory store", () => {
  it("refuses a change that carries a review decision, as it keeps no trail, and changes nothing", async () => {
    const store = createMemoryPaymentStore();
    const { record } = await store.insert(createPaymentFixtures().payment());
    const decision = { reviewReason: "no answer", evidence: "statement line 7", note: "paid", actor: "sari" };
    await expect(
      store.update(record.id, record.version, { status: PaymentStatus.SUCCEEDED }, "operator", undefined, {
        review: decision,
      }),
    ).rejects.toThrow("the in-memory store keeps no review trail");
    expect(await store.getById(record.id)).toMatchObject({ version: record.version, status: record.status });
  });
});
