import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  CreatePaymentRequestSchema,
  ListPaymentsRequestSchema,
  ListPaymentsResponseSchema,
  PaymentStatus,
} from "@paymesh/proto";
import { openPaymentStore, type PaymentStore } from "@paymesh/store";
import { KNOWN_SECRETS, leakedSecrets } from "@paymesh/telemetry/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAdapter, startFakeAdapter } from "../testing/fake-adapter.ts";
import { CALLER, qrisRequest, startRouterFlows } from "../testing/router-flows.ts";
import { type RawAnswer, startRouterServers } from "../testing/router-servers.ts";

// What a caller can send that is not a well-formed request, over the wire, against the router's
// real gRPC and Connect servers on the embedded store: every such request is INVALID_ARGUMENT with
// ErrorInfo, never INTERNAL, and nothing is stored.

let store: PaymentStore;
let adapter: FakeAdapter;
beforeAll(async () => {
  store = await openPaymentStore();
  adapter = await startFakeAdapter({
    createPayment: async (request) => ({
      payment: { status: PaymentStatus.REQUIRES_ACTION, providerReference: `ref-${request.paymentId}` },
    }),
  });
});
afterAll(async () => {
  await adapter?.close();
  await store?.close();
});

async function servers() {
  const flows = startRouterFlows({ store, adapters: { qris: adapter } });
  return startRouterServers(flows, store);
}

type CreateRequest = MessageInitShape<typeof CreatePaymentRequestSchema>;
const createBytes = (request: CreateRequest) =>
  toBinary(CreatePaymentRequestSchema, create(CreatePaymentRequestSchema, request));

/** INVALID_ARGUMENT in the paymesh.dev domain, with `field` when given. */
function expectInvalid(answer: RawAnswer, field?: string): void {
  expect(answer.ok).toBe(false);
  if (answer.ok) return;
  expect(answer.code).toBe(3);
  expect(answer.info?.domain).toBe("paymesh.dev");
  expect(answer.info?.reason).toMatch(/^(INVALID_FIELD|MISSING_FIELD)$/);
  if (field !== undefined) expect(answer.info?.metadata.field).toBe(field);
}

/** Field 1 (idempotency_key) holding these bytes, then a valid QRIS method. */
const keyWith = (bytes: number[]) => new Uint8Array([0x0a, bytes.length, ...bytes, 0x1a, 0x00]);

const MALFORMED: Array<[string, Uint8Array, string | undefined]> = [
  ["a truncated string field", new Uint8Array([0x0a, 0x05, 0x61]), "idempotency_key"],
  ["a truncated nested message", new Uint8Array([0x12, 0x03, 0x10, 0x80]), "amount"],
  ["a wire type the field cannot have", new Uint8Array([0x08, 0x01]), "idempotency_key"],
  ["field number 0", new Uint8Array([0x00, 0x01]), undefined],
  ["invalid UTF-8 in a string", keyWith([0xff, 0xfe]), "idempotency_key"],
  [
    "invalid UTF-8 in a metadata value",
    new Uint8Array([0x4a, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0xc3]),
    "metadata",
  ],
];

describe("a request body that does not decode", () => {
  it.each(MALFORMED)(
    "is INVALID_ARGUMENT with ErrorInfo on gRPC and Connect: %s",
    async (_, bytes, field) => {
      const router = await servers();
      expectInvalid(await router.grpc("CreatePayment", bytes), field);
      expectInvalid(await router.connect("CreatePayment", bytes, "application/proto"), field);
      expect((await store.list(CALLER, { statuses: [], methods: [] }, 100, undefined)).payments).toEqual([]);
    },
  );

  it("is INVALID_ARGUMENT on Connect JSON too: bad JSON, a wrong type, a lone surrogate, invalid UTF-8", async () => {
    const router = await servers();
    expectInvalid(await router.connect("CreatePayment", "{", "application/json"));
    expectInvalid(await router.connect("CreatePayment", '{"amount": 5}', "application/json"));
    expectInvalid(
      await router.connect("CreatePayment", '{"idempotencyKey": "\\ud800"}', "application/json"),
      "idempotency_key",
    );
    expectInvalid(
      await router.connect("ListPayments", new Uint8Array([0x7b, 0xff, 0x7d]), "application/json"),
    );
  });

  it("is INVALID_ARGUMENT with ErrorInfo on a Connect stream too (WatchPayment), not Connect's INTERNAL", async () => {
    const router = await servers();
    // payment_id holding bytes that are not UTF-8.
    const bytes = new Uint8Array([0x0a, 0x02, 0xff, 0xfe]);
    expectInvalid(await router.connectStream("WatchPayment", bytes), "payment_id");
  });

  it("is answered UNAUTHENTICATED first when the caller is not known", async () => {
    const router = await servers();
    const answer = await router.grpc("CreatePayment", new Uint8Array([0x00, 0x01]), "wrong-token");
    expect(answer).toMatchObject({ ok: false, code: 16 });
  });
});

describe("strings and timestamps", () => {
  it.each([
    ["idempotency_key", { ...qrisRequest("nul"), idempotencyKey: "a\u0000b" }],
    ["description", { ...qrisRequest("nul-description"), description: "x\u0000" }],
    ["merchant_reference", { ...qrisRequest("nul-reference"), merchantReference: "\u0000" }],
    ["metadata", { ...qrisRequest("nul-metadata-key"), metadata: { "k\u0000": "v" } }],
    ["metadata", { ...qrisRequest("nul-metadata-value"), metadata: { k: "v\u0000" } }],
    [
      "bank_transfer.account_holder_name",
      {
        ...qrisRequest("nul-name"),
        method: {
          case: "bankTransfer" as const,
          value: { bankCode: "BCA", accountNumber: "1234567890", accountHolderName: "A\u0000" },
        },
      },
    ],
  ])("U+0000 in %s is refused naming the field, and nothing is stored", async (field, request) => {
    const router = await servers();
    const answer = await router.grpc("CreatePayment", createBytes(request as CreateRequest));
    expectInvalid(answer, field);
    expect((await store.list(CALLER, { statuses: [], methods: [] }, 100, undefined)).payments).toEqual([]);
  });

  it.each([
    ["seconds at int64 max", { seconds: 9_223_372_036_854_775_807n, nanos: 0 }],
    [
      "nanos above 999999999",
      { seconds: BigInt(Math.floor(Date.now() / 1000) + 3600), nanos: 1_000_000_000 },
    ],
    ["negative nanos", { seconds: BigInt(Math.floor(Date.now() / 1000) + 3600), nanos: -1 }],
    ["more than 30 days ahead", { seconds: BigInt(Math.floor(Date.now() / 1000) + 31 * 86_400), nanos: 0 }],
    ["in the past", { seconds: 1n, nanos: 0 }],
  ])("an expires_at with %s is refused, and nothing is charged", async (_, expiresAt) => {
    const router = await servers();
    const before = adapter.received.createPayment.length;
    const answer = await router.grpc(
      "CreatePayment",
      createBytes({ ...qrisRequest("expiry"), expiresAt } as CreateRequest),
    );
    expectInvalid(answer, "expires_at");
    expect(adapter.received.createPayment).toHaveLength(before);
  });

  it("a created_after beyond year 9999 is refused", async () => {
    const router = await servers();
    const bytes = toBinary(
      ListPaymentsRequestSchema,
      create(ListPaymentsRequestSchema, { createdAfter: { seconds: 253_402_300_800n } }),
    );
    expectInvalid(await router.grpc("ListPayments", bytes), "created_after");
    expectInvalid(await router.connect("ListPayments", bytes, "application/proto"), "created_after");
  });
});

describe("the last instant a Timestamp can name", () => {
  it("is a created_before or created_after a list answers, over gRPC and Connect", async () => {
    const router = await servers();
    // 9999-12-31T23:59:59.999999999Z: valid, and one nanosecond short of the year 10000.
    const last = { seconds: 253_402_300_799n, nanos: 999_999_999 };
    const created = await router.grpc("CreatePayment", createBytes(qrisRequest("listed-before-the-end")));
    expect(created.ok).toBe(true);
    const before = toBinary(
      ListPaymentsRequestSchema,
      create(ListPaymentsRequestSchema, { createdBefore: last }),
    );
    const after = toBinary(
      ListPaymentsRequestSchema,
      create(ListPaymentsRequestSchema, { createdAfter: last }),
    );
    for (const answer of [
      await router.grpc("ListPayments", before),
      await router.connect("ListPayments", before, "application/proto"),
    ]) {
      expect(answer.ok).toBe(true);
      if (!answer.ok) return;
      const listed = fromBinary(ListPaymentsResponseSchema, answer.body).payments;
      expect(listed.map((payment) => payment.merchantReference)).toContain("order-listed-before-the-end");
    }
    for (const answer of [
      await router.grpc("ListPayments", after),
      await router.connect("ListPayments", after, "application/proto"),
    ]) {
      expect(answer.ok).toBe(true);
      if (!answer.ok) return;
      expect(fromBinary(ListPaymentsResponseSchema, answer.body).payments).toEqual([]);
    }
  });
});

describe("an INTERNAL answer", () => {
  it("carries a generic message and a correlation id, and the log line with that id keeps the cause", async () => {
    const failing: PaymentStore = {
      ...store,
      list: async () => {
        throw new Error(
          'invalid byte sequence for encoding "UTF8": 0x00 (SQLSTATE 22021) in ' +
            `(account_number)=(${KNOWN_SECRETS.accountNumber}) for Bearer ${KNOWN_SECRETS.bearerToken}`,
        );
      },
    };
    const flows = startRouterFlows({ store: failing, adapters: { qris: adapter } });
    const router = await startRouterServers(flows, failing);
    const bytes = toBinary(ListPaymentsRequestSchema, create(ListPaymentsRequestSchema, {}));
    for (const answer of [
      await router.grpc("ListPayments", bytes),
      await router.connect("ListPayments", bytes, "application/proto"),
    ]) {
      expect(answer).toMatchObject({ ok: false, code: 13 });
      if (answer.ok) continue;
      expect(answer.message).not.toMatch(/SQLSTATE|UTF8/);
      const id = answer.info?.metadata.correlation_id;
      expect(answer.info?.reason).toBe("INTERNAL");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.message).toContain(id);
      const line = router.logs.find((entry) => entry.correlation_id === id);
      expect(line).toMatchObject({ level: "error", method: "ListPayments" });
      expect(JSON.stringify(line)).toContain("SQLSTATE 22021");
    }
    // The cause is kept for the operator, its secrets masked.
    expect(leakedSecrets(router.rawLogs.join(""))).toEqual([]);
  });
});
