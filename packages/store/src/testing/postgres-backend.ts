import { randomBytes } from "node:crypto";
import { createPgSqlClient } from "../pg-sql-client.ts";

/**
 * The Postgres to test against, or undefined to register no Postgres tests. CI sets
 * PAYMESH_REQUIRE_BACKENDS=1 with the URL: a missing URL there throws while the test file is
 * collected, so a misconfigured pipeline fails instead of passing with the Postgres tests skipped.
 */
export function postgresUrlForTests(): string | undefined {
  const url = process.env.DATABASE_URL;
  if (url !== undefined && url !== "") return url;
  if (process.env.PAYMESH_REQUIRE_BACKENDS === "1") {
    throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but DATABASE_URL is not set: the Postgres tests cannot run");
  }
  return undefined;
}

/** A schema name no other test run uses: test files run in parallel against one server. */
export function uniqueTestSchema(): string {
  return `paymesh_test_${randomBytes(6).toString("hex")}`;
}

/** Drops a test schema and everything in it. */
export async function dropTestSchema(databaseUrl: string, schema: string): Promise<void> {
  const sql = createPgSqlClient({ databaseUrl });
  try {
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await sql.close();
  }
}
