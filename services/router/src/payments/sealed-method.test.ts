import type { MessageInitShape } from "@bufbuild/protobuf";
import type { PaymeshError } from "@paymesh/adapter-kit";
import { type CreatePaymentRequestSchema, ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { PaymentStore } from "@paymesh/store";
import { beforeAll, describe, expect, it } from "vitest";
import { never } from "../testing/fake-adapter.ts";
import { startRouterFlows, useFlowStore } from "../testing/router-flows.ts";

// The full account number and name are kept only sealed, and only while a provider call may still
// need them (docs/architecture.md §7): a caller's retry of a payment whose first answer was lost
// re-sends them, opened from the store.

const flow = useFlowStore();
let store: PaymentStore;
beforeAll(() => {
  store = flow.store();
});

const TRANSFER = { bankCode: "BCA", accountNumber: "8421907735", accountHolderName: "Siti Rahma" };
const REQUEST: MessageInitShape<typeof CreatePaymentRequestSchema> = {
  idempotencyKey: "transfer-redrive",
  amount: { currency: "IDR", minorUnits: 5_000_000n },
  method: { case: "bankTransfer", value: TRANSFER },
  merchantReference: "payout-redrive",
};

describe("a bank transfer's account and holder", () => {
  it("reach the provider in full on the first call and on a retry, and are masked everywhere else", async () => {
    let calls = 0;
    const adapter = await flow.fakeAdapter({
      // The first answer is lost on the way back; the retry is answered.
      createPayment: async (request) => {
        calls++;
        if (calls === 1) return never();
        return {
          payment: { status: PaymentStatus.PROCESSING, providerReference: `ref-${request.paymentId}` },
        };
      },
    });
    const flows = startRouterFlows({ store, adapters: { transfer: adapter }, adapterTimeoutMs: 300 });

    const lost = await flows.createPayment(REQUEST).catch((error: unknown) => error);
    expect(lost).toMatchObject({ reason: ErrorReason.OUTCOME_UNKNOWN });
    const paymentId = (lost as PaymeshError).metadata.payment_id ?? "";
    const pending = await store.getById(paymentId);
    expect(pending?.method).toEqual({
      case: "bankTransfer",
      value: expect.objectContaining({
        bankCode: "BCA",
        accountNumber: "****7735",
        accountHolderName: "S***",
      }),
    });
    expect(pending?.sealedMethod).toBeDefined();

    const payment = await flows.createPayment(REQUEST);

    expect(payment).toMatchObject({ id: paymentId, status: PaymentStatus.PROCESSING });
    expect(payment.method).toEqual({
      case: "bankTransfer",
      value: expect.objectContaining({ accountNumber: "****7735", accountHolderName: "S***" }),
    });
    const sent = adapter.received.createPayment.map((request) => request.method);
    expect(sent).toEqual([
      { case: "bankTransfer", value: expect.objectContaining(TRANSFER) },
      { case: "bankTransfer", value: expect.objectContaining(TRANSFER) },
    ]);
    // Answered: nothing will send the method again, so the sealed copy is gone.
    expect((await store.getById(paymentId))?.sealedMethod).toBeUndefined();
  });
});
