import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PaymentStatus } from "@paymesh/proto";
import { afterAll, describe, expect, it } from "vitest";
import { keyRotationContract, openSqlStoreWithDump, runPaymentStoreContract } from "./contract/index.ts";
import { createPaymentFixtures, EVERY_METHOD } from "./contract/payment-fixtures.ts";
import { openPaymentStore } from "./open-payment-store.ts";
import { createPgliteSqlClient } from "./pglite-sql-client.ts";
import { methodValue } from "./row-mapping.ts";
import { createSqlPaymentStore } from "./sql-payment-store.ts";

const dataDir = await mkdtemp(join(tmpdir(), "paymesh-store-"));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

runPaymentStoreContract("PGlite in memory", async () => openSqlStoreWithDump(await createPgliteSqlClient()));
runPaymentStoreContract("PGlite on disk", async () =>
  openSqlStoreWithDump(await createPgliteSqlClient({ dataDir: join(dataDir, "contract") })),
);

keyRotationContract("PGlite on disk", (keys) =>
  openPaymentStore({ dataDir: join(dataDir, "rotation"), keys }),
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

describe("rows written before methods were masked (migration 5)", () => {
  it("are masked, and sealed while PENDING, when the store is protected at start", async () => {
    const sql = await createPgliteSqlClient();
    const store = await createSqlPaymentStore({ sql });
    try {
      const fixtures = createPaymentFixtures();
      const method = EVERY_METHOD.find((candidate) => candidate.case === "bankTransfer");
      if (method === undefined) throw new Error("the fixtures have a bank transfer");
      const { record: pending } = await store.insert(fixtures.payment({ method }));
      const { record: done } = await store.insert(
        fixtures.payment({ method, status: PaymentStatus.SUCCEEDED }),
      );
      // As an older release left them: the whole method in clear, nothing sealed.
      for (const record of [pending, done]) {
        await sql.query(
          `UPDATE payments SET method = $2, sealed_method = NULL, sealed_method_key = NULL,
            sealed_method_key_id = NULL, method_in_clear = true WHERE id = $1`,
          [record.id, methodValue(method)],
        );
      }
      expect(await store.protectAtRest()).toEqual({ masked: 2, rewrapped: 0 });
      const rows = await sql.query("SELECT method::text AS method FROM payments WHERE id = ANY($1::text[])", [
        [pending.id, done.id],
      ]);
      expect(rows.map((row) => row.method).join()).not.toContain("1234567890");
      const reread = await store.getById(pending.id);
      expect(reread && store.revealMethod(reread)).toEqual(method);
      expect((await store.getById(done.id))?.sealedMethod).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
