import { PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { createPaymentFixtures } from "./contract/payment-fixtures.ts";
import { statuses } from "./enum-names.ts";
import { MIGRATIONS, migrate } from "./migrations.ts";
import { dueForResolutionQuery, paymentListQuery, TERMINAL_STATUSES_SQL } from "./payment-list-query.ts";
import { isTerminal } from "./payment-state.ts";
import { createPgSqlClient } from "./pg-sql-client.ts";
import { createPgliteSqlClient } from "./pglite-sql-client.ts";
import { PAYMENT_COLUMNS, paymentValues } from "./row-mapping.ts";
import { readText } from "./row-values.ts";
import type { SqlClient, SqlValue } from "./sql-client.ts";
import { createSqlPaymentStore } from "./sql-payment-store.ts";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "./testing/postgres-backend.ts";

/** A fresh, empty database, and how to dispose of it once the store has closed it. */
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

describe("the resolver's terminal statuses", () => {
  it("are exactly the statuses isTerminal holds final", () => {
    const terminal = Object.values(PaymentStatus)
      .filter((value): value is PaymentStatus => typeof value === "number" && isTerminal(value))
      .map((status) => `'${statuses.name(status)}'`);
    expect(TERMINAL_STATUSES_SQL).toBe(`(${terminal.join(", ")})`);
  });
});

describe.each(backends)("resolution schema (migration 2) on %s", (_name, openDatabase) => {
  /** The plan of a query with sequential scans ruled out: shows whether an index can serve it. */
  const plan = async (sql: SqlClient, query: { text: string; params: SqlValue[] }) =>
    sql.transaction(async (tx) => {
      await tx.query("SET LOCAL enable_seqscan = off");
      const rows = await tx.query(`EXPLAIN ${query.text}`, query.params);
      return rows.map((row) => readText(row, "QUERY PLAN")).join("\n");
    });

  it("serve the resolver's queue and the unresolved list from their partial indexes", async () => {
    const { sql, dispose } = await openDatabase();
    const store = await createSqlPaymentStore({ sql });
    try {
      const due = await plan(sql, dueForResolutionQuery(new Date(), 50));
      expect(due).toContain("payments_resolution_due");
      // The index is in the queue's order: no sort step.
      expect(due).not.toMatch(/\bSort\b/);
      const unresolved = paymentListQuery(
        "caller-1",
        { statuses: [], methods: [], unresolvedOnly: true },
        20,
        "x",
      );
      expect(await plan(sql, unresolved)).toContain("payments_caller_unresolved");
    } finally {
      await store.close();
      await dispose();
    }
  });

  it("upgrades a database holding payments: they read back with nothing to resolve or review", async () => {
    const { sql, dispose } = await openDatabase();
    let closeSql = true;
    try {
      expect(await migrate(sql, MIGRATIONS.slice(0, 1))).toEqual([1]);
      const record = createPaymentFixtures().payment({ outcomeUnknown: true });
      // A row as release 1 wrote it: its columns only (migration 2's four columns come next, then
      // migration 4's two, migration 5's sealed method and event hold, then migration 7's trace
      // context).
      const v1 = PAYMENT_COLUMNS.indexOf("resolution_next_check_at");
      expect(PAYMENT_COLUMNS.slice(v1)).toEqual([
        "resolution_next_check_at",
        "resolution_attempts",
        "review_reason",
        "review_since",
        "rejected_at",
        "resolution_last_answer",
        "sealed_method",
        "sealed_method_key",
        "sealed_method_key_id",
        "events_held",
        "trace_parent",
      ]);
      const placeholders = PAYMENT_COLUMNS.slice(0, v1).map((_, index) => `$${index + 1}`);
      await sql.query(
        `INSERT INTO payments (${PAYMENT_COLUMNS.slice(0, v1).join(", ")}) VALUES (${placeholders.join(", ")})`,
        paymentValues(record).slice(0, v1),
      );
      const store = await createSqlPaymentStore({ sql });
      closeSql = false;
      try {
        expect(await store.getById(record.id)).toEqual(record);
        const resolution = { nextCheckAt: new Date("2026-01-02T03:04:05.006Z"), attempts: 0 };
        await store.update(record.id, 1, { resolution }, "resolver");
        expect(await store.dueForResolution(new Date("2026-01-02T03:04:05.006Z"), 10)).toMatchObject([
          { id: record.id, resolution, version: 2 },
        ]);
        // The pairs are whole in the database too, whatever writes to it.
        await expect(
          sql.query("UPDATE payments SET review_reason = 'half' WHERE id = $1", [record.id]),
        ).rejects.toThrow(/payments_review_whole/);
      } finally {
        await store.close();
      }
    } finally {
      if (closeSql) await sql.close();
      await dispose();
    }
  });
});
