// The durable payment store: the PaymentStore contract and its implementations.
export { isSealedValueError, type SealedValue, SealedValueError } from "./envelope.ts";
export {
  createKeyRing,
  ephemeralKeyRing,
  formatKeyRing,
  generateKeyEncryptionKey,
  isKeyRingError,
  type KeyEncryptionKey,
  type KeyRing,
  KeyRingError,
  parseKeyRing,
} from "./key-ring.ts";
export { createMemoryPaymentStore } from "./memory-payment-store.ts";
export { MIGRATIONS, type Migration, migrate } from "./migrations.ts";
export { type OpenPaymentStoreOptions, openPaymentStore } from "./open-payment-store.ts";
export {
  type EnsurePartitionsOptions,
  ensurePartitions,
  PARTITIONED_TABLES,
  type PartitionedTable,
  partitionName,
} from "./partitions.ts";
export {
  type ChangeEvents,
  changeEvents,
  type OutboxEvent,
  outboxEventFor,
  type ProviderEventKey,
  type ProviderEventOutcome,
  type ProviderEventRecord,
  routingKeyFor,
} from "./payment-events.ts";
export {
  maskedMethod,
  methodType,
  type PaymentMethod,
  type PaymentRecord,
  type TransitionCause,
  toPaymentMessage,
} from "./payment-record.ts";
export { canTransition, isTerminal } from "./payment-state.ts";
export type {
  ExchangeRecord,
  InsertResult,
  JournalEntry,
  PaymentChange,
  PaymentFilter,
  PaymentPage,
  PaymentStore,
  PendingAnswer,
  RelayResult,
  ReviewNote,
  StoredResponse,
  StoreGauges,
  UpdateOptions,
  UpdateResult,
} from "./payment-store.ts";
export { createPgSqlClient, type PgSqlClientOptions } from "./pg-sql-client.ts";
export { createPgliteSqlClient, type PgliteSqlClientOptions } from "./pglite-sql-client.ts";
export { createReviewTrail, type ReviewResolution, type ReviewTrail } from "./review-trail.ts";
export {
  isNull,
  readBigint,
  readDate,
  readInt,
  readOptionalDate,
  readText,
} from "./row-values.ts";
export {
  lockForTransaction,
  type SqlClient,
  type SqlQueryable,
  type SqlRow,
  type SqlValue,
  tryLockForTransaction,
} from "./sql-client.ts";
export {
  createSqlPaymentStore,
  type SqlPaymentStore,
  type SqlPaymentStoreOptions,
} from "./sql-payment-store.ts";
export type { ProtectionResult } from "./sql-protection.ts";
