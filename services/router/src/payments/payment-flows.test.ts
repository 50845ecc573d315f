import { PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { PaymentStore } from "@paymesh/store";
import { beforeAll, describe, expect, it } from "vitest";
import { never } from "../testing/fake-adapter.ts";
import { CALLER, qrisRequest, startRouterFlows, useFlowStore } from "../testing/router-flows.ts";
import { createStatusResolver, type ResolverEvent } from "./status-resolver.ts";

// The create, drive and resolve flows in process: PaymentService and the status resolver on the
// embedded PGlite store, calling fake adapters over real gRPC.

const flow = useFlowStore();
let store: PaymentStore;
beforeAll(() => {
  store = flow.store();
});

const fakeAdapter = flow.fakeAdapter;

/** The provider's answer to a QRIS payment it accepted: a QR to pay, and one recorded exchange. */
function qrAnswer(request: { paymentId: string }, reference = `ref-${request.paymentId}`) {
  return {
    payment: {
      status: PaymentStatus.REQUIRES_ACTION,
      providerReference: reference,
      customerAction: { action: { case: "qris" as const, value: { qrString: `000201-${reference}` } } },
    },
    exchanges: [
      { operation: "create-qr", httpMethod: "POST", url: "https://provider.test/qr", responseStatus: 200 },
    ],
  };
}

/** The journal as [from, to, cause] triples. */
async function journalOf(paymentId: string) {
  return (await store.journal(paymentId)).map((entry) => [entry.from, entry.to, entry.cause]);
}

describe("CreatePayment, in process", () => {
  it("records the provider's answer, and answers a retry from the store without calling again", async () => {
    const adapter = await fakeAdapter({ createPayment: async (request) => qrAnswer(request) });
    const flows = startRouterFlows({ store, adapters: { "qris-ok": adapter } });

    const payment = await flows.createPayment(qrisRequest("create-ok"));

    expect(payment).toMatchObject({ status: PaymentStatus.REQUIRES_ACTION, adapter: "qris-ok" });
    expect(adapter.received.createPayment).toHaveLength(1);
    expect(adapter.received.createPayment[0]?.paymentId).toBe(payment.id);
    const row = await store.getById(payment.id);
    expect(row).toMatchObject({
      caller: CALLER,
      status: PaymentStatus.REQUIRES_ACTION,
      adapter: "qris-ok",
      providerReference: `ref-${payment.id}`,
      outcomeUnknown: false,
    });
    expect(row?.customerAction?.action).toEqual({
      case: "qris",
      value: expect.objectContaining({ qrString: `000201-ref-${payment.id}` }),
    });
    expect(await journalOf(payment.id)).toEqual([
      [PaymentStatus.PENDING, PaymentStatus.PENDING, "api"],
      [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, "api"],
    ]);
    expect((await store.exchanges(payment.id)).map((exchange) => exchange.operation)).toEqual(["create-qr"]);

    const again = await flows.createPayment(qrisRequest("create-ok"));
    expect(again).toEqual(payment);
    expect(adapter.received.createPayment).toHaveLength(1);
  });

  it("flags a payment whose answer was lost; the resolver asks GetPaymentStatus and records the answer", async () => {
    // The provider creates the payment, but its answer never reaches the router.
    const created = new Map<string, adapterv1.CreatePaymentRequest>();
    const adapter = await fakeAdapter({
      createPayment: (request) => {
        created.set(request.paymentId, request);
        return never();
      },
      getPaymentStatus: async (request) => {
        if (!created.has(request.paymentId))
          throw new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, "no such payment");
        return qrAnswer(request);
      },
    });
    const flows = startRouterFlows({
      store,
      adapters: { "qris-lossy": adapter },
      adapterTimeoutMs: 300,
      resolver: { initialDelayMs: 0 },
    });

    const lost = await flows.createPayment(qrisRequest("create-lost")).catch((error: unknown) => error);

    expect(lost).toMatchObject({ reason: ErrorReason.OUTCOME_UNKNOWN });
    const paymentId = (lost as PaymeshError).metadata.payment_id ?? "";
    expect(adapter.received.createPayment.map((request) => request.paymentId)).toEqual([paymentId]);
    expect(await store.getById(paymentId)).toMatchObject({
      status: PaymentStatus.PENDING,
      adapter: "qris-lossy",
      outcomeUnknown: true,
    });

    await flows.resolver.runOnce();

    expect(adapter.received.getPaymentStatus.map((request) => request.paymentId)).toEqual([paymentId]);
    expect(await store.getById(paymentId)).toMatchObject({
      status: PaymentStatus.REQUIRES_ACTION,
      providerReference: `ref-${paymentId}`,
      outcomeUnknown: false,
    });
    expect(await journalOf(paymentId)).toEqual([
      [PaymentStatus.PENDING, PaymentStatus.PENDING, "api"],
      [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, "resolver"],
    ]);

    // The caller's retry gets the payment as resolved; nothing is sent to the provider again.
    const retried = await flows.createPayment(qrisRequest("create-lost"));
    expect(retried).toMatchObject({ id: paymentId, status: PaymentStatus.REQUIRES_ACTION });
    expect(adapter.received.createPayment).toHaveLength(1);
  });

  it("keeps a payment whose provider status the adapter does not know for the resolver, with the raw value", async () => {
    // The adapter answers a status it has never seen as UNSPECIFIED with the raw value.
    const unknown = (request: { paymentId: string }) => ({
      payment: {
        status: PaymentStatus.UNSPECIFIED,
        providerReference: `ref-${request.paymentId}`,
        providerStatus: "42",
      },
      exchanges: [],
    });
    const adapter = await fakeAdapter({
      createPayment: async (request) => unknown(request),
      getPaymentStatus: async (request) => unknown(request),
    });
    const events: ResolverEvent[] = [];
    const flows = startRouterFlows({
      store,
      adapters: { "qris-new-code": adapter },
      resolver: { pollAcceptedAfterMs: 0 },
    });
    const resolver = createStatusResolver({
      store,
      registry: flows.registry,
      settings: flows.resolverSettings,
      onEvent: (event) => events.push(event),
    });

    const payment = await flows.createPayment(qrisRequest("create-unknown-status"));

    expect(payment.status).toBe(PaymentStatus.PENDING);
    const row = await store.getById(payment.id);
    expect(row?.resolution).toMatchObject({ attempts: 0, lastAnswer: 'unknown provider status "42"' });
    expect(await journalOf(payment.id)).toEqual([[PaymentStatus.PENDING, PaymentStatus.PENDING, "api"]]);

    await resolver.runOnce();

    expect(adapter.received.getPaymentStatus.map((request) => request.paymentId)).toEqual([payment.id]);
    expect(await store.getById(payment.id)).toMatchObject({
      status: PaymentStatus.PENDING,
      resolution: expect.objectContaining({ attempts: 1, lastAnswer: 'unknown provider status "42"' }),
    });
    // (The store is shared by this file's tests: other due payments get their own events.)
    expect(events.filter((event) => event.paymentId === payment.id)).toEqual([
      expect.objectContaining({ kind: "retry", adapter: "qris-new-code", unknownProviderStatus: true }),
    ]);
  });

  it("falls over to the next adapter when the first never reached its provider", async () => {
    const first = await fakeAdapter({
      createPayment: async () => {
        throw new PaymeshError(ErrorReason.PROVIDER_UNAVAILABLE, "provider circuit open; nothing sent", {
          neverReachedProvider: true,
        });
      },
    });
    const second = await fakeAdapter({ createPayment: async (request) => qrAnswer(request) });
    const flows = startRouterFlows({ store, adapters: { "qris-first": first, "qris-second": second } });

    const payment = await flows.createPayment(qrisRequest("fail-over"));

    expect(payment).toMatchObject({ status: PaymentStatus.REQUIRES_ACTION, adapter: "qris-second" });
    expect(first.received.createPayment.map((request) => request.paymentId)).toEqual([payment.id]);
    expect(second.received.createPayment.map((request) => request.paymentId)).toEqual([payment.id]);
    expect(await store.getById(payment.id)).toMatchObject({
      adapter: "qris-second",
      providerReference: `ref-${payment.id}`,
      outcomeUnknown: false,
    });
  });

  it("does not fall over when the first adapter may have reached its provider: the outcome is unknown", async () => {
    const first = await fakeAdapter({
      createPayment: async () => {
        throw new PaymeshError(
          ErrorReason.PROVIDER_UNAVAILABLE,
          "connection reset after the request was sent",
        );
      },
    });
    const second = await fakeAdapter({ createPayment: async (request) => qrAnswer(request) });
    const flows = startRouterFlows({ store, adapters: { "qris-maybe": first, "qris-spare": second } });

    const failed = await flows.createPayment(qrisRequest("no-fail-over")).catch((error: unknown) => error);

    expect(failed).toMatchObject({ reason: ErrorReason.OUTCOME_UNKNOWN });
    const paymentId = (failed as PaymeshError).metadata.payment_id ?? "";
    expect(first.received.createPayment).toHaveLength(1);
    expect(second.received.createPayment).toHaveLength(0);
    expect(await store.getById(paymentId)).toMatchObject({
      status: PaymentStatus.PENDING,
      adapter: "qris-maybe",
      outcomeUnknown: true,
    });
  });

  it("ends a refused payment FAILED, without trying another adapter, and replays the refusal", async () => {
    const first = await fakeAdapter({
      createPayment: async () => {
        throw new PaymeshError(ErrorReason.PROVIDER_DECLINED, "merchant is blocked", {
          providerCode: "4030501",
        });
      },
    });
    const second = await fakeAdapter({ createPayment: async (request) => qrAnswer(request) });
    const flows = startRouterFlows({ store, adapters: { "qris-strict": first, "qris-lenient": second } });

    const refused = await flows.createPayment(qrisRequest("refused")).catch((error: unknown) => error);
    const replayed = await flows.createPayment(qrisRequest("refused")).catch((error: unknown) => error);

    expect(refused).toMatchObject({ reason: ErrorReason.PROVIDER_DECLINED, message: "merchant is blocked" });
    expect(replayed).toMatchObject({ reason: ErrorReason.PROVIDER_DECLINED, message: "merchant is blocked" });
    expect(first.received.createPayment).toHaveLength(1);
    expect(second.received.createPayment).toHaveLength(0);
    const page = await store.list(CALLER, { statuses: [PaymentStatus.FAILED], methods: [] }, 100, undefined);
    const row = page.payments.find((payment) => payment.idempotencyKey === "refused");
    expect(row).toMatchObject({
      adapter: "qris-strict",
      outcomeUnknown: false,
      failure: expect.objectContaining({ reason: ErrorReason.PROVIDER_DECLINED, providerCode: "4030501" }),
    });
  });
});
