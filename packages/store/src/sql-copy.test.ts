import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgSqlClient } from "./pg-sql-client.ts";
import { createPgliteSqlClient } from "./pglite-sql-client.ts";
import type { SqlClient } from "./sql-client.ts";
import { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "./testing/postgres-backend.ts";

const backends: Array<[string, () => Promise<{ sql: SqlClient; dispose: () => Promise<void> }>]> = [
  ["PGlite", async () => ({ sql: await createPgliteSqlClient(), dispose: async () => {} })],
];
const databaseUrl = postgresUrlForTests();
if (databaseUrl !== undefined) {
  backends.push([
    "Postgres",
    async () => {
      const schema = uniqueTestSchema();
      const sql = createPgSqlClient({ databaseUrl, schema });
      await sql.query(`CREATE SCHEMA ${schema}`);
      return { sql, dispose: () => dropTestSchema(databaseUrl, schema) };
    },
  ]);
}

async function* rows(count: number, failAfter?: number): AsyncGenerator<string> {
  for (let index = 1; index <= count; index++) {
    if (index === failAfter) throw new Error("source died");
    // ~1 KiB a row, so a few thousand rows span several of PGlite's COPY chunks.
    yield `${index},"row ""${index}"", with a comma\n${"x".repeat(1_000)}"\n`;
  }
}

describe.each(backends)("SqlClient.copyFrom on %s", (_name, open) => {
  let sql: SqlClient;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ sql, dispose } = await open());
    await sql.query("CREATE TABLE copied (n integer PRIMARY KEY, body text NOT NULL)");
  });
  afterAll(async () => {
    await sql.close();
    await dispose();
  });

  const count = async () => (await sql.query("SELECT count(*) AS n FROM copied"))[0]?.n;

  it("loads every row, CSV quoting intact, and says how many", async () => {
    expect(await sql.copyFrom("copied (n, body)", rows(6_000))).toBe(6_000);
    expect(await count()).toBe(6_000n);
    const row = (await sql.query("SELECT body FROM copied WHERE n = 4321"))[0];
    expect(row?.body).toBe(`row "4321", with a comma\n${"x".repeat(1_000)}`);
    await sql.query("TRUNCATE copied");
  });

  it("leaves no row behind when the source throws midway, outside or inside a transaction", async () => {
    await expect(sql.copyFrom("copied (n, body)", rows(6_000, 5_000))).rejects.toThrow(/source died/);
    expect(await count()).toBe(0n);
    await expect(
      sql.transaction(async (tx) => {
        await tx.query("INSERT INTO copied (n, body) VALUES (0, 'before')");
        await tx.copyFrom("copied (n, body)", rows(6_000, 5_000));
      }),
    ).rejects.toThrow(/source died/);
    expect(await count()).toBe(0n);
    // The connection that saw the failed COPY is usable again.
    expect(await sql.transaction((tx) => tx.copyFrom("copied (n, body)", rows(3)))).toBe(3);
  });
});
