import { PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { PaymentStore } from "@paymesh/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type FakeAdapter, startFakeAdapter } from "../testing/fake-adapter.ts";
import { qrisRequest, startRouterFlows, useFlowStore } from "../testing/router-flows.ts";
import type { IncomingWebhook } from "./webhook-ingress.ts";

// Webhook ingest in process: the ingress, the adapter's ParseWebhook over real gRPC, the work queue's
// handler and the embedded PGlite store.

const flow = useFlowStore();
let store: PaymentStore;
beforeAll(() => {
  store = flow.store();
});

/** A QRIS adapter that accepts payments and reads every webhook as "paid" for the payment it names. */
async function paidWebhookAdapter(): Promise<FakeAdapter> {
  const adapter = await startFakeAdapter({
    createPayment: async (request) => ({
      payment: { status: PaymentStatus.REQUIRES_ACTION, providerReference: `ref-${request.paymentId}` },
    }),
    parseWebhook: async (request) => {
      const body = JSON.parse(new TextDecoder().decode(request.body)) as { id: string; ref: string };
      if (body.ref === "") throw new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, "bad signature");
      return {
        events: [{ eventId: body.id, providerReference: body.ref, status: PaymentStatus.SUCCEEDED }],
      };
    },
  });
  flow.keep(adapter);
  return adapter;
}

function webhook(body: object): IncomingWebhook {
  return {
    method: "POST",
    path: "/webhooks/qris",
    headers: [{ name: "content-type", value: "application/json" }],
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}

describe("webhook ingest, in process", () => {
  it("applies an event exactly once when the provider delivers it twice at the same time", async () => {
    const adapter = await paidWebhookAdapter();
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const payment = await flows.createPayment(qrisRequest("webhook-twice"));
    const delivery = webhook({ id: "evt-paid-1", ref: payment.providerReference });

    const answers = await Promise.all([flows.webhooks("qris", delivery), flows.webhooks("qris", delivery)]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(adapter.received.parseWebhook).toHaveLength(2);
    expect(await store.getById(payment.id)).toMatchObject({ status: PaymentStatus.SUCCEEDED });
    const journal = await store.journal(payment.id);
    expect(journal.filter((entry) => entry.to === PaymentStatus.SUCCEEDED)).toEqual([
      expect.objectContaining({ from: PaymentStatus.REQUIRES_ACTION, cause: "webhook" }),
    ]);
    expect(await store.providerEvents(payment.id)).toEqual([
      expect.objectContaining({ adapter: "qris", eventId: "evt-paid-1", outcome: "applied" }),
    ]);
    // One event per status for payments.events: the succeeded one is there once.
    expect((await store.paymentEvents(payment.id, 0)).map((event) => event.routingKey)).toEqual([
      "qris.pending",
      "qris.requires_action",
      "qris.succeeded",
    ]);
    expect(await flows.queue.deadLetters.list(10)).toEqual([]);

    // A later redelivery is answered the same and still changes nothing.
    expect((await flows.webhooks("qris", delivery)).status).toBe(200);
    expect(await store.journal(payment.id)).toHaveLength(journal.length);
  });

  it("answers 401 to a webhook the adapter does not verify, and changes nothing", async () => {
    const adapter = await paidWebhookAdapter();
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const payment = await flows.createPayment(qrisRequest("webhook-forged"));

    const answer = await flows.webhooks("qris", webhook({ id: "evt-forged", ref: "" }));

    expect(answer.status).toBe(401);
    expect(await store.getById(payment.id)).toMatchObject({ status: PaymentStatus.REQUIRES_ACTION });
    expect(await store.providerEvents(payment.id)).toEqual([]);
  });
});
