// Helpers for tests of the store and of its users: the Postgres to test against, and a client
// that counts database round trips.
export { type CountedSqlClient, countingSqlClient } from "./counting-sql-client.ts";
export { dropTestSchema, postgresUrlForTests, uniqueTestSchema } from "./postgres-backend.ts";
