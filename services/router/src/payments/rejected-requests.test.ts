import type { MessageInitShape } from "@bufbuild/protobuf";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import {
  type CreatePaymentRequestSchema,
  ErrorReason,
  PaymentMethodType,
  PaymentStatus,
} from "@paymesh/proto";
import { createMemoryEventPublisher, type PublishedEvent } from "@paymesh/queue";
import type { PaymentStore } from "@paymesh/store";
import { beforeAll, describe, expect, it } from "vitest";
import { createOutboxRelay } from "../events/outbox-relay.ts";
import {
  CALLER,
  callerContext,
  qrisRequest,
  startRouterFlows,
  useFlowStore,
} from "../testing/router-flows.ts";

// One rule for a request refused as invalid: it makes no payment. What an adapter declares in
// Describe is checked before anything is written; what the adapter refuses as invalid after the row
// was written is hidden from every read. A payment the provider declines is a FAILED payment.

type CreateRequest = MessageInitShape<typeof CreatePaymentRequestSchema>;

const flow = useFlowStore();
let store: PaymentStore;
beforeAll(() => {
  store = flow.store();
});

const DESCRIBE = async () => ({
  provider: "fake-qris",
  methods: [PaymentMethodType.QRIS],
  currencies: ["IDR"],
  limits: [{ currency: "IDR", minMinorUnits: 100_000n, maxMinorUnits: 1_000_000_000n }],
});

const fakeAdapter = flow.fakeAdapter;

/** The caller's payments as ListPayments sees them. */
async function listed(): Promise<string[]> {
  return (await store.list(CALLER, { statuses: [], methods: [] }, 100, undefined)).payments.map((p) => p.id);
}

async function refusal(promise: Promise<unknown>): Promise<PaymeshError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PaymeshError) return error;
    throw error;
  }
  throw new Error("the request was not refused");
}

describe("what the adapter declares in Describe", () => {
  it.each([
    [
      "an amount above its limit",
      { currency: "IDR", minorUnits: 9_223_372_036_854_775_807n },
      "amount.minor_units",
      ErrorReason.AMOUNT_OUT_OF_RANGE,
    ],
    [
      "an amount below its limit",
      { currency: "IDR", minorUnits: 1n },
      "amount.minor_units",
      ErrorReason.AMOUNT_OUT_OF_RANGE,
    ],
    [
      "a currency it does not take",
      { currency: "USD", minorUnits: 2_500_000n },
      "amount.currency",
      ErrorReason.CURRENCY_NOT_SUPPORTED,
    ],
  ])("refuses %s before anything is written or sent", async (_, amount, field, reason) => {
    const adapter = await fakeAdapter({ describe: DESCRIBE, createPayment: async () => ({}) });
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const before = await listed();

    const error = await refusal(
      flows.createPayment({
        ...qrisRequest(`describe-${field}-${amount.minorUnits}`),
        amount,
      } as CreateRequest),
    );

    expect(error).toMatchObject({ code: GrpcCode.INVALID_ARGUMENT, reason });
    expect(error.field).toBe(field);
    expect(adapter.received.createPayment).toEqual([]);
    expect(await listed()).toEqual(before);
  });

  it("sends a payment one adapter refuses to the next that takes it", async () => {
    const small = await fakeAdapter({
      describe: async () => ({
        ...(await DESCRIBE()),
        limits: [{ currency: "IDR", minMinorUnits: 1n, maxMinorUnits: 10n }],
      }),
      createPayment: async () => ({}),
    });
    const large = await fakeAdapter({
      describe: DESCRIBE,
      createPayment: async (request) => ({
        payment: { status: PaymentStatus.REQUIRES_ACTION, providerReference: `ref-${request.paymentId}` },
      }),
    });
    const flows = startRouterFlows({ store, adapters: { small, large } });
    const payment = await flows.createPayment(qrisRequest("describe-failover"));
    expect(payment).toMatchObject({ adapter: "large", status: PaymentStatus.REQUIRES_ACTION });
    expect(small.received.createPayment).toEqual([]);
  });
});

describe("an adapter's INVALID_ARGUMENT after the payment row was written", () => {
  it("leaves no payment: get and list never show it, the answer names none, a retry replays it", async () => {
    const adapter = await fakeAdapter({
      createPayment: async () => {
        throw new PaymeshError(ErrorReason.QUOTE_NOT_FOUND, "quote q-1 does not exist", {
          code: GrpcCode.INVALID_ARGUMENT,
          field: "remittance.quote_id",
        });
      },
    });
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const before = await listed();

    const error = await refusal(flows.createPayment(qrisRequest("adapter-invalid")));
    expect(error).toMatchObject({ code: GrpcCode.INVALID_ARGUMENT, reason: ErrorReason.QUOTE_NOT_FOUND });
    expect(error.metadata.payment_id).toBeUndefined();

    // The row was written before the call (store before send) and is kept for the audit trail only.
    const sent = adapter.received.createPayment[0]?.paymentId ?? "";
    expect(await store.getById(sent)).toMatchObject({
      status: PaymentStatus.FAILED,
      rejectedAt: expect.any(Date),
    });
    expect(await store.get(CALLER, sent)).toBeUndefined();
    expect(await listed()).toEqual(before);
    await expect(flows.service.getPayment(callerContext(), sent)).rejects.toMatchObject({
      reason: ErrorReason.PAYMENT_NOT_FOUND,
    });

    const again = await refusal(flows.createPayment(qrisRequest("adapter-invalid")));
    expect(again).toMatchObject({ code: GrpcCode.INVALID_ARGUMENT, reason: ErrorReason.QUOTE_NOT_FOUND });
    expect(adapter.received.createPayment).toHaveLength(1);
  });

  it("a provider's decline is a FAILED payment the caller can see", async () => {
    const adapter = await fakeAdapter({
      createPayment: async () => {
        throw new PaymeshError(ErrorReason.PROVIDER_DECLINED, "declined by the issuer", {
          providerCode: "05",
        });
      },
    });
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const error = await refusal(flows.createPayment(qrisRequest("adapter-declined")));
    expect(error).toMatchObject({
      code: GrpcCode.FAILED_PRECONDITION,
      reason: ErrorReason.PROVIDER_DECLINED,
    });
    const id = error.metadata.payment_id ?? "";
    const row = await store.get(CALLER, id);
    expect(row?.status).toBe(PaymentStatus.FAILED);
    expect(row?.failure?.reason).toBe(ErrorReason.PROVIDER_DECLINED);
    expect(row?.rejectedAt).toBeUndefined();
    expect(await listed()).toContain(id);
  });
});

describe("events of a request refused as invalid", () => {
  /** A relay over the flow store publishing in process, and what it published for one payment. */
  function relayed() {
    const publisher = createMemoryEventPublisher();
    const relay = createOutboxRelay({ store, publisher });
    const of = (paymentId: string): PublishedEvent[] =>
      publisher.published().filter((event) => event.headers["x-paymesh-payment-id"] === paymentId);
    return { relay, of };
  }

  it("publishes nothing, though a relay pass runs while the adapter is deciding", async () => {
    const { relay, of } = relayed();
    const inFlight: PublishedEvent[][] = [];
    const adapter = await fakeAdapter({
      createPayment: async (request) => {
        await relay.runOnce();
        inFlight.push(of(request.paymentId));
        throw new PaymeshError(ErrorReason.QUOTE_NOT_FOUND, "quote q-2 does not exist", {
          code: GrpcCode.INVALID_ARGUMENT,
          field: "remittance.quote_id",
        });
      },
    });
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });

    await refusal(flows.createPayment(qrisRequest("events-invalid")));
    await relay.runOnce();

    const id = adapter.received.createPayment[0]?.paymentId ?? "";
    expect(inFlight).toEqual([[]]);
    expect(of(id)).toEqual([]);
    // Nothing is left waiting either: the refusal discarded the payment's held events.
    expect(await store.paymentEvents(id, 0)).toEqual([]);
  });

  it("publishes an accepted payment's events, in order, once the adapter has answered", async () => {
    const { relay, of } = relayed();
    const inFlight: PublishedEvent[][] = [];
    const adapter = await fakeAdapter({
      createPayment: async (request) => {
        await relay.runOnce();
        inFlight.push(of(request.paymentId));
        return {
          payment: { status: PaymentStatus.REQUIRES_ACTION, providerReference: `ref-${request.paymentId}` },
        };
      },
    });
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });

    const payment = await flows.createPayment(qrisRequest("events-accepted"));
    await relay.runOnce();

    expect(inFlight).toEqual([[]]);
    expect(of(payment.id).map((event) => [event.id, event.routingKey])).toEqual([
      [`${payment.id}/1`, "qris.pending"],
      [`${payment.id}/2`, "qris.requires_action"],
    ]);
  });

  it("announces a payment the adapter accepted without a status yet", async () => {
    const { relay, of } = relayed();
    const adapter = await fakeAdapter({ createPayment: async () => ({}) });
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });

    const payment = await flows.createPayment(qrisRequest("events-accepted-pending"));
    await relay.runOnce();

    expect(payment.status).toBe(PaymentStatus.PENDING);
    expect(of(payment.id).map((event) => event.routingKey)).toEqual(["qris.pending"]);
  });
});
