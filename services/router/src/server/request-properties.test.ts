import { create, type DescMessage, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  CancelPaymentRequestSchema,
  CreatePaymentRequestSchema,
  CreatePaymentResponseSchema,
  CreateQuoteRequestSchema,
  ListPaymentsRequestSchema,
  PaymentMethodType,
  PaymentStatus,
} from "@paymesh/proto";
import { openPaymentStore, type PaymentStore } from "@paymesh/store";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAdapter, startFakeAdapter } from "../testing/fake-adapter.ts";
import { CALLER, qrisRequest, startRouterFlows } from "../testing/router-flows.ts";
import { type RawAnswer, startRouterServers } from "../testing/router-servers.ts";

// Properties of whatever a caller may send, against a real router in process: the gRPC and Connect
// servers on the embedded store, with a fake QRIS adapter that takes every payment it is sent.
// Generated messages (any string, U+0000 and lone surrogates included, any int64, odd timestamps,
// every oneof case) and raw bytes never get INTERNAL or UNKNOWN, every error carries ErrorInfo, the
// router keeps serving, and the store holds only what was answered with success.
//
// A failure prints fast-check's seed and path; rerun exactly that case with FC_SEED=<seed>.

const SEED = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED);

let store: PaymentStore;
let adapter: FakeAdapter;
beforeAll(async () => {
  store = await openPaymentStore();
  adapter = await startFakeAdapter({
    describe: async () => ({
      provider: "fake-qris",
      methods: [PaymentMethodType.QRIS],
      currencies: ["IDR"],
      limits: [{ currency: "IDR", minMinorUnits: 100_000n, maxMinorUnits: 1_000_000_000n }],
    }),
    createPayment: async (request) => ({
      payment: { status: PaymentStatus.REQUIRES_ACTION, providerReference: `ref-${request.paymentId}` },
    }),
  });
});
afterAll(async () => {
  await adapter?.close();
  await store?.close();
});

const SPECIAL = ["\u0000", "\ud800", "\udfff", "\ufffd", "é", "😀", " ", "IDR", "pay_", "%", "'", '"', "\\"];
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...SPECIAL, "a", "Z", "0", "-", "_"), maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ maxLength: 300 }),
);
const INT64_MAX = 2n ** 63n - 1n;
const int64 = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, INT64_MAX, -INT64_MAX - 1n, 2_500_000n, 100_000n, 1_000_000_001n),
  fc.bigInt({ min: -INT64_MAX - 1n, max: INT64_MAX }),
);
const nowSeconds = () => BigInt(Math.floor(Date.now() / 1000));
const timestamp = fc.oneof(
  fc.record({ seconds: int64, nanos: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc
    .record({
      ahead: fc.integer({ min: -86_400, max: 40 * 86_400 }),
      nanos: fc.constantFrom(0, 999_999_999, 1e9),
    })
    .map(({ ahead, nanos }) => ({ seconds: nowSeconds() + BigInt(ahead), nanos })),
  fc.constantFrom({ seconds: 253_402_300_799n, nanos: 999_999_999 }, { seconds: -62_135_596_800n, nanos: 0 }),
);
const money = fc.record({
  currency: fc.oneof(fc.constantFrom("IDR", "USD", "JPY", "", "idr"), text),
  minorUnits: int64,
});
const metadata = fc.dictionary(text, text, { maxKeys: 4 });
const enumValue = fc.integer({ min: -3, max: 9 });
const method = fc.oneof(
  fc.constant({ case: undefined }),
  fc.record({ case: fc.constant("qris" as const), value: fc.record({ terminalLabel: text }) }),
  fc.record({
    case: fc.constant("virtualAccount" as const),
    value: fc.record({ bank: enumValue, customerName: text, customVaNumber: text }),
  }),
  fc.record({
    case: fc.constant("bankTransfer" as const),
    value: fc.record({ bankCode: text, accountNumber: text, accountHolderName: text }),
  }),
  fc.record({
    case: fc.constant("remittance" as const),
    value: fc.record({
      quoteId: text,
      reference: text,
      recipient: fc.option(
        fc.record({ currency: text, type: text, accountHolderName: text, details: metadata }),
        { nil: undefined },
      ),
    }),
  }),
);
const createRequest = fc.record(
  {
    idempotencyKey: fc.oneof(text, fc.uuid()),
    amount: fc.option(money, { nil: undefined }),
    method,
    merchantReference: text,
    description: text,
    metadata,
    expiresAt: fc.option(timestamp, { nil: undefined }),
    preferredAdapter: fc.oneof(fc.constant(""), fc.constant("qris"), text),
  },
  { requiredKeys: ["idempotencyKey", "method"] },
);
const listRequest = fc.record({
  pageSize: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  pageToken: fc.oneof(text, fc.base64String({ maxLength: 80 })),
  statuses: fc.array(enumValue, { maxLength: 3 }),
  methods: fc.array(enumValue, { maxLength: 3 }),
  createdAfter: fc.option(timestamp, { nil: undefined }),
  createdBefore: fc.option(timestamp, { nil: undefined }),
  unresolvedOnly: fc.boolean(),
});
const quoteRequest = fc.record({
  sourceCurrency: fc.oneof(fc.constantFrom("IDR", "USD"), text),
  targetCurrency: fc.oneof(fc.constantFrom("GBP", "SGD"), text),
  amount: fc.oneof(
    fc.constant({ case: undefined }),
    fc.record({ case: fc.constantFrom("sourceAmount" as const, "targetAmount" as const), value: money }),
  ),
  preferredAdapter: text,
});
const cancelRequest = fc.record({
  paymentId: fc.oneof(text, fc.stringMatching(/^pay_[0-9a-z]{26}$/)),
  reason: text,
});

/** The request's bytes; undefined when protobuf-es itself will not encode it (the caller's own library). */
function encode<Desc extends DescMessage>(
  schema: Desc,
  init: MessageInitShape<Desc>,
): Uint8Array | undefined {
  try {
    return toBinary(schema, create(schema, init));
  } catch {
    return undefined;
  }
}

/** The answer is success, or an error that is the caller's (never INTERNAL/UNKNOWN) with ErrorInfo. */
function expectWellAnswered(answer: RawAnswer): void {
  if (answer.ok) return;
  expect([2, 13], `${answer.code} ${answer.message}`).not.toContain(answer.code);
  expect(answer.info?.domain, answer.message).toBe("paymesh.dev");
  expect(answer.info?.reason).not.toBe("");
}

describe("PaymentService under generated requests", () => {
  it("answers every message and every byte string well, stores nothing half-written, and keeps serving", async () => {
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const router = await startRouterServers(flows, store);
    const answered = new Set<string>();

    /** Every row of the caller is a payment some request was answered with, each with its journal. */
    const expectStoreConsistent = async (): Promise<void> => {
      const page = await store.list(CALLER, { statuses: [], methods: [] }, 100, undefined);
      for (const payment of page.payments) {
        expect(answered, `row ${payment.id} was never answered to a caller`).toContain(payment.id);
      }
    };
    const send = async (rpc: string, bytes: Uint8Array, viaConnect: boolean): Promise<RawAnswer> => {
      const answer = viaConnect
        ? await router.connect(rpc, bytes, "application/proto")
        : await router.grpc(rpc, bytes);
      expectWellAnswered(answer);
      if (rpc !== "CreatePayment") return answer;
      // A payment the caller was told about: in the response, or named by an error (an outcome the
      // adapter left unknown under load, a decline). Each has its journal.
      const id = answer.ok
        ? fromBinary(CreatePaymentResponseSchema, answer.body).payment?.id
        : answer.info?.metadata.payment_id;
      if (answer.ok) expect(id).toBeDefined();
      if (id !== undefined) {
        answered.add(id);
        expect((await store.journal(id)).length).toBeGreaterThan(0);
      }
      return answer;
    };

    const messages = fc.oneof(
      {
        arbitrary: createRequest.map(
          (init) => ["CreatePayment", encode(CreatePaymentRequestSchema, init as never)] as const,
        ),
        weight: 4,
      },
      {
        arbitrary: listRequest.map(
          (init) => ["ListPayments", encode(ListPaymentsRequestSchema, init as never)] as const,
        ),
        weight: 2,
      },
      {
        arbitrary: quoteRequest.map(
          (init) => ["CreateQuote", encode(CreateQuoteRequestSchema, init as never)] as const,
        ),
        weight: 1,
      },
      {
        arbitrary: cancelRequest.map(
          (init) => ["CancelPayment", encode(CancelPaymentRequestSchema, init as never)] as const,
        ),
        weight: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(messages, fc.boolean(), async ([rpc, bytes], viaConnect) => {
        if (bytes === undefined) return;
        await send(rpc, bytes, viaConnect);
        await expectStoreConsistent();
      }),
      { seed: SEED, numRuns: 250 },
    );

    const rpcs = fc.constantFrom(
      "CreatePayment",
      "ListPayments",
      "CreateQuote",
      "CancelPayment",
      "GetPayment",
    );
    await fc.assert(
      fc.asyncProperty(
        rpcs,
        fc.uint8Array({ maxLength: 120 }),
        fc.boolean(),
        async (rpc, bytes, viaConnect) => {
          await send(rpc, bytes, viaConnect);
          await expectStoreConsistent();
        },
      ),
      { seed: SEED, numRuns: 150 },
    );

    // Still serving: a valid request succeeds on both transports.
    for (const viaConnect of [false, true]) {
      const bytes = encode(CreatePaymentRequestSchema, qrisRequest(`after-properties-${SEED}-${viaConnect}`));
      expect(await send("CreatePayment", bytes ?? new Uint8Array(), viaConnect)).toMatchObject({ ok: true });
    }
    await expectStoreConsistent();
  }, 120_000);
});
