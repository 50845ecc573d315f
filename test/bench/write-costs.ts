// `pnpm -F @paymesh/test bench:write-costs`: what the router's write path costs, piece by piece,
// measured side by side in one run: a payment's two store writes (the insert before the adapter
// call, the step after it) with Postgres prepared statements and without; and the per-payment CPU
// of the envelope encryption (seal, open) and of the request fingerprint. Needs DATABASE_URL for
// the Postgres rows.
import { createHash, randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { clone, create, toBinary } from "@bufbuild/protobuf";
import { CreatePaymentRequestSchema, PaymentStatus, QrisMethodSchema } from "@paymesh/proto";
import {
  createKeyRing,
  createPgliteSqlClient,
  createPgSqlClient,
  createSqlPaymentStore,
  generateKeyEncryptionKey,
  type PaymentRecord,
  type SqlClient,
  type SqlPaymentStore,
} from "@paymesh/store";
// Not exported by their packages: the bench measures these two internals as the router runs them.
import { protectMethod } from "../../packages/store/src/sealed-method.ts";
import { fingerprintOf } from "../../services/router/src/payments/create-payment.ts";
import { dropSchema, realBackends } from "../support/backends.ts";
import { decimal } from "./decimal.ts";
import { runLoad } from "./load.ts";

const payments = Number(process.env.BENCH_REQUESTS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const run = randomBytes(4).toString("hex");
const keys = createKeyRing([generateKeyEncryptionKey("bench")]);

/** The same client with every statement sent unprepared: the shape before prepared statements. */
function unprepared(sql: SqlClient): SqlClient {
  return {
    ...sql,
    schema: sql.schema,
    query: (text, params) => sql.query(text, params),
    transaction: (fn) =>
      sql.transaction((tx) => fn({ query: (text, params) => tx.query(text, params), copyFrom: tx.copyFrom })),
  };
}

function payment(label: string, i: number): PaymentRecord {
  const now = new Date();
  return {
    id: `pay_${run}_${label}_${i}`,
    caller: "bench",
    idempotencyKey: `${run}-${label}-${i}`,
    fingerprint: "f".repeat(64),
    amount: { currency: "IDR", minorUnits: 2_500_000n },
    method: { case: "qris", value: create(QrisMethodSchema, { terminalLabel: "kasir-1" }) },
    merchantReference: `order-${i}`,
    description: "bench",
    metadata: { order: String(i) },
    status: PaymentStatus.PENDING,
    adapter: "qris",
    providerReference: "",
    customerAction: undefined,
    failure: undefined,
    outcomeUnknown: false,
    resolution: { nextCheckAt: new Date(now.getTime() + 60_000), attempts: 0 },
    review: undefined,
    eventsHeld: true,
    createdAt: now,
    updatedAt: now,
    expiresAt: undefined,
    version: 1,
  };
}

/** One payment's two writes, as the router makes them. */
async function writeOne(store: SqlPaymentStore, label: string, i: number): Promise<void> {
  const { record } = await store.insert(payment(label, i));
  const result = await store.update(
    record.id,
    record.version,
    { status: PaymentStatus.REQUIRES_ACTION, providerReference: `ref-${i}`, eventsHeld: false },
    "api",
    undefined,
    {
      current: record,
      exchanges: {
        adapter: "qris",
        records: [
          {
            operation: "createQr",
            httpMethod: "POST",
            url: "https://provider.test/v1.0/qr/qr-mpm-generate",
            requestBody: JSON.stringify({ partnerReferenceNo: record.id, amount: { value: "25000.00" } }),
            responseStatus: 200,
            responseBody: JSON.stringify({ responseCode: "2004700", qrContent: "00020101021226".repeat(8) }),
            startedAt: new Date(),
            durationMicros: 1_500n,
            transportError: "",
          },
        ],
      },
      answer: {
        caller: record.caller,
        idempotencyKey: record.idempotencyKey,
        build: (changed) => ({
          fingerprint: record.fingerprint,
          paymentId: changed.id,
          grpcCode: 0,
          body: new Uint8Array(200),
        }),
      },
    },
  );
  if (!result.applied) throw new Error(`payment ${record.id} was not updated: ${result.why}`);
}

/** Microseconds per call of `work`, over `count` calls after a warm-up. */
function microseconds(work: () => void, count = 20_000): number {
  for (let i = 0; i < 2_000; i++) work();
  const started = performance.now();
  for (let i = 0; i < count; i++) work();
  return ((performance.now() - started) * 1000) / count;
}

const backends = realBackends();
if (backends !== undefined) {
  const schemas = {
    prepared: `paymesh_bench_${run}_prepared`,
    unprepared: `paymesh_bench_${run}_unprepared`,
  };
  const stores = {
    prepared: await createSqlPaymentStore({
      sql: createPgSqlClient({ databaseUrl: backends.databaseUrl, schema: schemas.prepared }),
      keys,
    }),
    unprepared: await createSqlPaymentStore({
      sql: unprepared(createPgSqlClient({ databaseUrl: backends.databaseUrl, schema: schemas.unprepared })),
      keys,
    }),
  };
  const seconds = { prepared: 0, unprepared: 0 };
  try {
    for (const label of ["prepared", "unprepared"] as const)
      await runLoad((i) => writeOne(stores[label], `warm${label}`, i), 200, concurrency);
    for (let round = 0; round < rounds; round++) {
      for (const label of ["prepared", "unprepared"] as const) {
        const result = await runLoad(
          (i) => writeOne(stores[label], `${label}${round}`, i),
          payments,
          concurrency,
        );
        if (result.errors > 0) throw new Error(`${result.errors} payments failed to write`);
        seconds[label] += result.seconds;
      }
    }
  } finally {
    for (const store of Object.values(stores)) await store.close();
    for (const schema of Object.values(schemas)) await dropSchema(backends.databaseUrl, schema);
  }
  const rate = (label: keyof typeof seconds) => (payments * rounds) / seconds[label];
  console.log(
    `A payment's two writes on Postgres, ${rounds} rounds x ${payments} payments, concurrency ${concurrency}`,
  );
  console.log("| statements | payments/s | ratio |");
  console.log("|---|---:|---:|");
  console.log(`| unprepared | ${decimal(rate("unprepared"), 0)} | 1.00 |`);
  console.log(
    `| prepared | ${decimal(rate("prepared"), 0)} | ${decimal(rate("prepared") / rate("unprepared"), 2)} |`,
  );
} else {
  console.log("(DATABASE_URL not set: the Postgres rows were not measured)");
}

// CPU of the per-payment crypto and hashing, in this process.
const sealing = await createSqlPaymentStore({
  sql: await createPgliteSqlClient(),
  keys,
});
const stored = (await sealing.insert(payment("seal", 0))).record;
const request = create(CreatePaymentRequestSchema, {
  idempotencyKey: "bench-key",
  amount: { currency: "IDR", minorUnits: 2_500_000n },
  method: { case: "qris", value: {} },
  metadata: { order: "1", shop: "kasir" },
});
console.log("\nPer-payment CPU in one process (µs per call)");
console.log("| work | µs |");
console.log("|---|---:|");
console.log(
  `| seal the method (insert) | ${decimal(
    microseconds(() => protectMethod(keys, stored)),
    1,
  )} |`,
);
console.log(
  `| open the sealed method (a re-drive; no longer on a fresh payment's path) | ${decimal(
    microseconds(() => sealing.revealMethod(stored)),
    1,
  )} |`,
);
console.log(
  `| request fingerprint, shallow copy (now) | ${decimal(
    microseconds(() => fingerprintOf(request)),
    1,
  )} |`,
);
console.log(
  `| request fingerprint, deep clone (before) | ${decimal(
    microseconds(() => {
      const canonical = clone(CreatePaymentRequestSchema, request);
      canonical.metadata = Object.fromEntries(
        Object.entries(request.metadata).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      createHash("sha256").update(toBinary(CreatePaymentRequestSchema, canonical)).digest("hex");
    }),
    1,
  )} |`,
);
await sealing.close();
