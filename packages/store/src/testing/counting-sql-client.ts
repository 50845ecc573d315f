import type { SqlClient, SqlQueryable } from "../sql-client.ts";

/** A database client that counts what it runs; the counts are of the real client's work. */
export interface CountedSqlClient {
  sql: SqlClient;
  /** Statements run so far, BEGIN and COMMIT of each transaction included. */
  statements(): number;
  /** Explicit transactions opened so far. */
  transactions(): number;
}

/**
 * Wraps `sql` so a test can count database round trips: every statement goes to the real
 * database; only the counting is added.
 */
export function countingSqlClient(sql: SqlClient): CountedSqlClient {
  let statements = 0;
  let transactions = 0;
  const count = (queryable: SqlQueryable): SqlQueryable => ({
    query: (text, params, options) => {
      statements++;
      return queryable.query(text, params, options);
    },
    copyFrom: (target, csv) => {
      statements++;
      return queryable.copyFrom(target, csv);
    },
  });
  return {
    statements: () => statements,
    transactions: () => transactions,
    sql: {
      schema: sql.schema,
      ...count(sql),
      transaction: (fn) => {
        transactions++;
        statements += 2;
        return sql.transaction((tx) => fn(count(tx)));
      },
      close: () => sql.close(),
    },
  };
}
