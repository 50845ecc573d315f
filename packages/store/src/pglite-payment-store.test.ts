import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PaymentStatus } from "@paymesh/proto";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlStoreWithDump, runPaymentStoreContract } from "./contract/index.ts";
import { createPaymentFixtures } from "./contract/payment-fixtures.ts";
import { openPaymentStore } from "./open-payment-store.ts";
import { createPgliteSqlClient } from "./pglite-sql-client.ts";

const dataDir = await mkdtemp(join(tmpdir(), "paymesh-store-"));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

runPaymentStoreContract("PGlite in memory", async () => openSqlStoreWithDump(await createPgliteSqlClient()));
runPaymentStoreContract("PGlite on disk", async () =>
  openSqlStoreWithDump(await createPgliteSqlClient({ dataDir: join(dataDir, "contract") })),
);

describe("PGlite on disk", () => {
  it("keeps payments, journal, exchanges and responses across a reopen", async () => {
    const dir = join(dataDir, "reopen");
    const fixtures = createPaymentFixtures();
    const record = fixtures.payment({ amount: { currency: "IDR", minorUnits: 9_007_199_254_740_993n } });
    const exchange = {
      operation: "createPayment",
      httpMethod: "POST",
      url: "https://provider.test/charge",
      requestBody: "{}",
      responseStatus: 201,
      responseBody: '{"id":"p-1"}',
      startedAt: new Date(),
      durationMicros: 1_500n,
      transportError: "",
    };
    const response = {
      fingerprint: record.fingerprint,
      paymentId: record.id,
      grpcCode: 0,
      body: Uint8Array.of(1, 2, 3),
    };

    const first = await openPaymentStore({ dataDir: dir });
    await first.insert(record);
    const updated = await first.update(record.id, 1, { status: PaymentStatus.PROCESSING }, "webhook");
    await first.recordExchanges(record.id, "xendit", [exchange]);
    await first.saveResponse(record.caller, record.idempotencyKey, response);
    await first.close();

    const second = await openPaymentStore({ dataDir: dir });
    try {
      expect(await second.getById(record.id)).toEqual(updated.record);
      expect((await second.journal(record.id)).map((entry) => entry.to)).toEqual([
        PaymentStatus.PENDING,
        PaymentStatus.PROCESSING,
      ]);
      expect(await second.exchanges(record.id)).toEqual([exchange]);
      expect(await second.findResponse(record.caller, record.idempotencyKey)).toEqual(response);
    } finally {
      await second.close();
    }
  });
});
