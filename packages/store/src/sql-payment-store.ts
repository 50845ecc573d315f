import { EventEmitter } from "node:events";
import { ephemeralKeyRing, type KeyRing } from "./key-ring.ts";
import { migrate } from "./migrations.ts";
import { createPartitionKeeper } from "./partition-keeper.ts";
import { leavesEventsReady, OUTBOX_READY } from "./payment-events.ts";
import { dueForResolutionQuery, paymentListQuery, unresolvedQuery } from "./payment-list-query.ts";
import type { PaymentRecord } from "./payment-record.ts";
import type { PaymentStore } from "./payment-store.ts";
import { checkResolutionLimit } from "./resolution-queue.ts";
import { PAYMENT_COLUMNS, paymentFromRow } from "./row-mapping.ts";
import { revealMethod } from "./sealed-method.ts";
import { createSqlAuditTrail } from "./sql-audit-trail.ts";
import type { SqlClient } from "./sql-client.ts";
import { readStoreGauges } from "./sql-gauges.ts";
import { createSqlOutbox } from "./sql-outbox.ts";
import { insertPayment, updatePayment } from "./sql-payment-writes.ts";
import { type ProtectionResult, protectAtRest } from "./sql-protection.ts";

/** Options for createSqlPaymentStore. */
export interface SqlPaymentStoreOptions {
  /** The database; the store owns it from now on and closes it on close(). */
  sql: SqlClient;
  /** Stamps updatedAt, journal rows and partition upkeep. @default () => new Date() */
  clock?: () => Date;
  /** Month partitions kept ahead of the clock. @default 3 */
  monthsAhead?: number;
  /** How often partitions are re-ensured. @default 21600000 (6 hours) */
  partitionIntervalMs?: number;
  /** A background partition run failed (the next one retries). @default ignore */
  onError?: (error: unknown) => void;
  /**
   * Seal and open payment methods (docs/architecture.md §7). The router always passes its configured
   * keys. @default a random key of this instance only (tests and tools): what it seals, no other
   * process can open
   */
  keys?: KeyRing;
}

/** The SQL store, plus partition upkeep for operators and tests. */
export interface SqlPaymentStore extends PaymentStore {
  /** ensurePartitions around `now` on this store's database; returns the partition names. */
  ensurePartitions(now: Date): Promise<string[]>;
  /**
   * Masks rows written before methods were masked, re-wraps data keys under the current key, and
   * proves the keys open what is sealed (sql-protection.ts). The router runs it at start.
   */
  protectAtRest(): Promise<ProtectionResult>;
  /**
   * The database this store owns, for readers of the other tables it migrates (the router's
   * reconciliation admin API reads recon_runs and appends to recon_resolutions). Closed with the store.
   */
  readonly sql: SqlClient;
}

/**
 * The durable PaymentStore: one implementation for Postgres and PGlite. Migrates the schema and
 * creates the month partitions before it returns, so the first write cannot find a table missing.
 */
export async function createSqlPaymentStore(options: SqlPaymentStoreOptions): Promise<SqlPaymentStore> {
  const { sql } = options;
  const clock = options.clock ?? (() => new Date());
  const keys = options.keys ?? ephemeralKeyRing();
  await migrate(sql);
  const partitions = createPartitionKeeper({
    sql,
    clock,
    ...(options.monthsAhead === undefined ? {} : { monthsAhead: options.monthsAhead }),
    ...(options.partitionIntervalMs === undefined ? {} : { intervalMs: options.partitionIntervalMs }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  try {
    await partitions.ensureAround(clock());
  } catch (error) {
    partitions.stop();
    throw error;
  }
  // subscribe() is in-process by contract: other routers' changes are not seen here.
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const selectPayments = `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments`;
  const firstPayment = async (
    where: string,
    params: string[],
    orderBy = "id",
  ): Promise<PaymentRecord | undefined> => {
    const row = (await sql.query(`${selectPayments} WHERE ${where} ORDER BY ${orderBy} LIMIT 1`, params))[0];
    return row === undefined ? undefined : paymentFromRow(row);
  };
  let closing: Promise<void> | undefined;

  return {
    async insert(record) {
      const result = await insertPayment({ sql, partitions, clock, keys }, record);
      if (result.inserted && result.record.eventsHeld !== true) events.emit(OUTBOX_READY);
      return result;
    },
    revealMethod: (record) => revealMethod(keys, record),
    get: (caller, id) => firstPayment("id = $1 AND caller = $2 AND rejected_at IS NULL", [id, caller]),
    getById: (id) => firstPayment("id = $1", [id]),
    async findByProviderReference(adapter, providerReference) {
      // "" means "not known yet", shared by every unrouted payment: never a match.
      if (providerReference === "") return undefined;
      // Should two payments ever share a reference, the one changed last is the live one.
      const where = "adapter = $1 AND provider_reference = $2";
      return firstPayment(where, [adapter, providerReference], "updated_at DESC");
    },
    async update(id, expectedVersion, change, cause, event, options) {
      const context = { sql, partitions, clock, keys };
      const result = await updatePayment(context, id, expectedVersion, change, cause, event, options);
      // After COMMIT only: a watcher must never see a change that was rolled back.
      if (result.applied) {
        events.emit(id, result.record, result.previous);
        if (leavesEventsReady(result.previous, result.record)) events.emit(OUTBOX_READY);
      }
      return result;
    },
    async list(caller, filter, pageSize, after) {
      const query = paymentListQuery(caller, filter, pageSize, after);
      const rows = await sql.query(query.text, query.params);
      const payments = rows.slice(0, pageSize).map(paymentFromRow);
      const last = payments.at(-1);
      return { payments, after: rows.length > pageSize && last !== undefined ? last.id : undefined };
    },
    async dueForResolution(now, limit) {
      checkResolutionLimit(limit);
      const query = dueForResolutionQuery(now, limit);
      return (await sql.query(query.text, query.params)).map(paymentFromRow);
    },
    async listUnresolved(limit) {
      checkResolutionLimit(limit);
      const query = unresolvedQuery(limit);
      return (await sql.query(query.text, query.params)).map(paymentFromRow);
    },
    subscribe(id, listener) {
      events.on(id, listener);
      return () => events.off(id, listener);
    },
    watchOutbox(listener) {
      events.on(OUTBOX_READY, listener);
      return () => events.off(OUTBOX_READY, listener);
    },
    ...createSqlAuditTrail({ sql, partitions, clock, keys }),
    ...createSqlOutbox(sql, clock),
    ensurePartitions: (now) => partitions.ensureAround(now),
    protectAtRest: () => protectAtRest(sql, keys),
    gauges: () => readStoreGauges(sql),
    sql,
    close() {
      closing ??= (async () => {
        partitions.stop();
        events.removeAllListeners();
        await sql.close();
      })();
      return closing;
    },
  };
}
