import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { CreatePaymentRequestSchema, CreatePaymentResponseSchema, PaymentStatus } from "@paymesh/proto";
import {
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  type SqlClient,
} from "@paymesh/store";
import {
  countingSqlClient,
  dropTestSchema,
  postgresUrlForTests,
  uniqueTestSchema,
} from "@paymesh/store/testing";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAdapter } from "../testing/fake-adapter.ts";
import { CALLER, callerContext, qrisRequest, startRouterFlows } from "../testing/router-flows.ts";

// What a CreatePayment costs the database in the common case (docs/architecture.md §4): one
// statement before the adapter call and one after it, no explicit transaction, and everything a
// payment's step owes the store written by those two.

const databaseUrl = postgresUrlForTests();
const databases: { name: string; open: () => Promise<{ sql: SqlClient; cleanup: () => Promise<void> }> }[] = [
  { name: "PGlite", open: async () => ({ sql: await createPgliteSqlClient(), cleanup: async () => {} }) },
];
if (databaseUrl !== undefined) {
  databases.push({
    name: "Postgres",
    open: async () => {
      const schema = uniqueTestSchema();
      return {
        sql: createPgSqlClient({ databaseUrl, schema }),
        cleanup: () => dropTestSchema(databaseUrl, schema),
      };
    },
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(databases)("a CreatePayment's database round trips on $name", ({ open }) => {
  it("are two statements, which write the payment's whole step", async () => {
    const database = await open();
    const counted = countingSqlClient(database.sql);
    const store = await createSqlPaymentStore({ sql: counted.sql });
    const adapter = await startFakeAdapter({
      createPayment: async (request) => ({
        payment: {
          status: PaymentStatus.REQUIRES_ACTION,
          providerReference: `ref-${request.paymentId}`,
          customerAction: { action: { case: "qris", value: { qrString: `000201-${request.paymentId}` } } },
        },
        exchanges: [
          // Made now, as real exchanges are: the month's partitions are there already.
          {
            operation: "create-qr",
            httpMethod: "POST",
            url: "https://provider.test/qr",
            startedAt: timestampNow(),
          },
          {
            operation: "get-qr",
            httpMethod: "GET",
            url: "https://provider.test/qr/1",
            startedAt: timestampNow(),
          },
        ],
      }),
    });
    cleanups.push(async () => {
      await adapter.close();
      await store.close();
      await database.cleanup();
    });
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const request = create(CreatePaymentRequestSchema, qrisRequest("two-round-trips"));

    const statements = counted.statements();
    const transactions = counted.transactions();
    const answer = await flows.service.createPayment(callerContext(), request);
    expect(counted.statements() - statements).toBe(2);
    expect(counted.transactions() - transactions).toBe(0);

    const { payment } = fromBinary(CreatePaymentResponseSchema, answer);
    const id = payment?.id ?? "";
    expect(await store.getById(id)).toMatchObject({
      status: PaymentStatus.REQUIRES_ACTION,
      providerReference: `ref-${id}`,
      version: 2,
    });
    expect((await store.journal(id)).map((entry) => PaymentStatus[entry.to])).toEqual([
      "PENDING",
      "REQUIRES_ACTION",
    ]);
    expect((await store.exchanges(id)).map((exchange) => exchange.operation)).toEqual([
      "create-qr",
      "get-qr",
    ]);
    expect((await store.paymentEvents(id, 0)).map((event) => event.version)).toEqual([1, 2]);
    // The saved answer is the one sent, byte for byte: a replay after Redis forgot the key gets it.
    const saved = await store.findResponse(CALLER, request.idempotencyKey);
    expect(saved?.body).toEqual(answer);
    expect(
      toBinary(CreatePaymentResponseSchema, { $typeName: "payments.v1.CreatePaymentResponse", payment }),
    ).toEqual(answer);
  });
});
