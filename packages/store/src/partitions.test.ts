import { PaymentStatus } from "@paymesh/proto";
import { describe, expect, it, vi } from "vitest";
import { createPaymentFixtures } from "./contract/payment-fixtures.ts";
import { createPgSqlClient } from "./pg-sql-client.ts";
import { createPgliteSqlClient } from "./pglite-sql-client.ts";
import { readText } from "./row-values.ts";
import type { SqlClient } from "./sql-client.ts";
import { createSqlPaymentStore } from "./sql-payment-store.ts";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "./testing/postgres-backend.ts";

/** A fresh, empty database per test, and how to dispose of it once the store has closed it. */
type OpenDatabase = () => Promise<{ sql: SqlClient; dispose: () => Promise<void> }>;

const backends: Array<[string, OpenDatabase]> = [
  ["PGlite", async () => ({ sql: await createPgliteSqlClient(), dispose: async () => {} })],
];
const databaseUrl = postgresUrlForTests();
if (databaseUrl !== undefined) {
  backends.push([
    "Postgres",
    async () => {
      const schema = uniqueTestSchema();
      return {
        sql: createPgSqlClient({ databaseUrl, schema }),
        dispose: () => dropTestSchema(databaseUrl, schema),
      };
    },
  ]);
}

const partitionsOf = async (sql: SqlClient, table: string): Promise<string[]> => {
  const rows = await sql.query(
    `SELECT child.relname FROM pg_inherits
      JOIN pg_class child ON child.oid = pg_inherits.inhrelid
      JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
      JOIN pg_namespace ON pg_namespace.oid = parent.relnamespace
      WHERE parent.relname = $1 AND pg_namespace.nspname = $2 ORDER BY child.relname`,
    [table, sql.schema],
  );
  return rows.map((row) => readText(row, "relname"));
};

describe.each(backends)("month partitions on %s", (_name, openDatabase) => {
  it("keeps a one-month query on that month's partition only", async () => {
    const { sql, dispose } = await openDatabase();
    let now = new Date("2026-11-15T10:00:00.000Z");
    const store = await createSqlPaymentStore({ sql, clock: () => now });
    try {
      const record = createPaymentFixtures().payment({ createdAt: now, updatedAt: now });
      await store.insert(record);
      now = new Date("2026-12-10T08:00:00.000Z");
      await store.update(record.id, 1, { status: PaymentStatus.PROCESSING }, "webhook");
      const stored = await sql.query(
        "SELECT tableoid::regclass::text AS part FROM payment_journal ORDER BY seq",
      );
      expect(stored.map((row) => readText(row, "part"))).toEqual([
        "payment_journal_y2026m11",
        "payment_journal_y2026m12",
      ]);
      const plan = async (from: string, to: string) => {
        const rows = await sql.query("EXPLAIN SELECT * FROM payment_journal WHERE at >= $1 AND at < $2", [
          new Date(from),
          new Date(to),
        ]);
        return rows.map((row) => readText(row, "QUERY PLAN")).join("\n");
      };
      const november = await plan("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
      expect(november).toContain("payment_journal_y2026m11");
      expect(november).not.toContain("payment_journal_y2026m12");
      const december = await plan("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
      expect(december).toContain("payment_journal_y2026m12");
      expect(december).not.toContain("payment_journal_y2026m11");
    } finally {
      await store.close();
      await dispose();
    }
  });

  it("creates the previous, current and next months' partitions, idempotently", async () => {
    const { sql, dispose } = await openDatabase();
    const store = await createSqlPaymentStore({ sql, clock: () => new Date("2026-11-15T10:00:00.000Z") });
    try {
      const months = ["y2026m10", "y2026m11", "y2026m12", "y2027m01", "y2027m02"];
      for (const table of ["payment_journal", "provider_exchanges"]) {
        expect(await partitionsOf(sql, table)).toEqual(months.map((month) => `${table}_${month}`));
      }
      const names = await store.ensurePartitions(new Date("2027-01-31T23:59:59.999Z"));
      expect(names).toContain("provider_exchanges_y2027m04");
      expect(await store.ensurePartitions(new Date("2027-01-31T23:59:59.999Z"))).toEqual(names);
      expect(await partitionsOf(sql, "payment_journal")).toEqual(
        [...months, "y2027m03", "y2027m04"].map((month) => `payment_journal_${month}`),
      );
    } finally {
      await store.close();
      await dispose();
    }
  });

  it("re-ensures the months ahead on its timer as the clock moves on", async () => {
    const { sql, dispose } = await openDatabase();
    let now = new Date("2026-11-15T10:00:00.000Z");
    const store = await createSqlPaymentStore({
      sql,
      clock: () => now,
      monthsAhead: 1,
      partitionIntervalMs: 20,
    });
    try {
      expect(await partitionsOf(sql, "payment_journal")).not.toContain("payment_journal_y2027m03");
      now = new Date("2027-02-03T00:00:00.000Z");
      await vi.waitFor(async () => {
        expect(await partitionsOf(sql, "payment_journal")).toContain("payment_journal_y2027m03");
      });
    } finally {
      await store.close();
      await dispose();
    }
  });
});
