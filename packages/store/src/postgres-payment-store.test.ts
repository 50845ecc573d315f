import { afterAll, describe, expect, it, vi } from "vitest";
import { keyRotationContract, openSqlStoreWithDump, runPaymentStoreContract } from "./contract/index.ts";
import { MIGRATIONS } from "./migrations.ts";
import { openPaymentStore } from "./open-payment-store.ts";
import { createPgSqlClient } from "./pg-sql-client.ts";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "./testing/postgres-backend.ts";

// Without DATABASE_URL the Postgres tests are not registered (or, in CI, collection throws).
const databaseUrl = postgresUrlForTests();

// Always registered: it tests the gate itself, and a test file without tests fails in vitest.
describe("the Postgres test gate", () => {
  it("registers nothing without DATABASE_URL, unless PAYMESH_REQUIRE_BACKENDS=1 makes it throw", () => {
    try {
      vi.stubEnv("DATABASE_URL", "");
      vi.stubEnv("PAYMESH_REQUIRE_BACKENDS", "");
      expect(postgresUrlForTests()).toBeUndefined();
      vi.stubEnv("PAYMESH_REQUIRE_BACKENDS", "1");
      expect(() => postgresUrlForTests()).toThrow(/DATABASE_URL is not set/);
      vi.stubEnv("DATABASE_URL", "postgres://ci@db:5432/ci");
      expect(postgresUrlForTests()).toBe("postgres://ci@db:5432/ci");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

if (databaseUrl !== undefined) {
  const schema = uniqueTestSchema();
  afterAll(() => dropTestSchema(databaseUrl, schema));

  runPaymentStoreContract("Postgres", () => openSqlStoreWithDump(createPgSqlClient({ databaseUrl, schema })));

  const rotation = uniqueTestSchema();
  afterAll(() => dropTestSchema(databaseUrl, rotation));
  keyRotationContract("Postgres", (keys) => openPaymentStore({ databaseUrl, schema: rotation, keys }));

  describe("Postgres migrations", () => {
    it("applies each migration once when several routers start at the same moment", async () => {
      const fresh = uniqueTestSchema();
      try {
        const stores = await Promise.all(
          Array.from({ length: 4 }, () => openPaymentStore({ databaseUrl, schema: fresh })),
        );
        await Promise.all(stores.map((store) => store.close()));
        const sql = createPgSqlClient({ databaseUrl, schema: fresh });
        try {
          const rows = await sql.query("SELECT version FROM schema_migrations ORDER BY version");
          expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
        } finally {
          await sql.close();
        }
      } finally {
        await dropTestSchema(databaseUrl, fresh);
      }
    });
  });
}
