import { PaymentStatus } from "@paymesh/proto";
import { statuses } from "./enum-names.ts";
import type { KeyRing } from "./key-ring.ts";
import type { PartitionKeeper } from "./partition-keeper.ts";
import {
  changeEvents,
  type OutboxEvent,
  outboxEventFor,
  type ProviderEventKey,
  providerEventOutcome,
} from "./payment-events.ts";
import type { PaymentRecord, TransitionCause } from "./payment-record.ts";
import { canTransition } from "./payment-state.ts";
import type { InsertResult, PaymentChange, UpdateResult } from "./payment-store.ts";
import { PAYMENT_COLUMNS, paymentFromRow, paymentValues } from "./row-mapping.ts";
import { dropSpentMethod, protectMethod } from "./sealed-method.ts";
import type { SqlClient, SqlQueryable, SqlValue } from "./sql-client.ts";

/** What the two writes need from their store. */
export interface WriteContext {
  sql: SqlClient;
  partitions: PartitionKeeper;
  clock: () => Date;
  /** Seal new payments' methods. */
  keys: KeyRing;
}

const placeholders = PAYMENT_COLUMNS.map((_, index) => `$${index + 1}`).join(", ");

/** Thrown inside the insert transaction to roll it back when the payment row itself is taken. */
class KeyTaken extends Error {}

/**
 * PaymentStore.insert. The idempotency record is claimed first: its primary key is the authority
 * on (caller, key) (docs/architecture.md §5), and ON CONFLICT waits for a concurrent claimant to finish, so
 * exactly one of many simultaneous inserts writes anything. The payment, its record, its first
 * journal row and its outbox event commit together, or none of them does.
 */
export async function insertPayment(context: WriteContext, given: PaymentRecord): Promise<InsertResult> {
  const { sql, partitions, clock } = context;
  const record = protectMethod(context.keys, given);
  await partitions.cover([record.createdAt]);
  let inserted: boolean;
  try {
    inserted = await sql.transaction(async (tx) => {
      const claimed = await tx.query(
        `INSERT INTO idempotency_records (caller, idempotency_key, fingerprint, payment_id, created_at)
          VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING payment_id`,
        [record.caller, record.idempotencyKey, record.fingerprint, record.id, clock()],
      );
      if (claimed.length === 0) return false;
      // The payment can still hold the key when its idempotency record was purged after retention.
      const written = await tx.query(
        `INSERT INTO payments (${PAYMENT_COLUMNS.join(", ")}) VALUES (${placeholders})
          ON CONFLICT (caller, idempotency_key) DO NOTHING RETURNING id`,
        paymentValues(record),
      );
      if (written.length === 0) throw new KeyTaken();
      await appendJournal(tx, record.id, record.status, record.status, "api", record.createdAt);
      await appendOutbox(tx, outboxEventFor(record, PaymentStatus.UNSPECIFIED, record.createdAt));
      return true;
    });
  } catch (error) {
    if (!(error instanceof KeyTaken)) throw error;
    inserted = false;
  }
  if (inserted) return { inserted: true, record: { ...record, metadata: { ...record.metadata } } };
  const rows = await sql.query(
    `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments WHERE caller = $1 AND idempotency_key = $2`,
    [record.caller, record.idempotencyKey],
  );
  const row = rows[0];
  if (row === undefined) {
    throw new Error(
      `idempotency key ${record.idempotencyKey} of ${record.caller} is held, but no payment is`,
    );
  }
  return { inserted: false, record: paymentFromRow(row) };
}

/**
 * PaymentStore.update. SELECT … FOR UPDATE holds the row until COMMIT, so of many writers starting
 * from one version exactly one finds it current; the others see the new version and get "stale".
 * The same lock serializes copies of one provider event: the first records it, the rest find it.
 */
export async function updatePayment(
  context: WriteContext,
  id: string,
  expectedVersion: number,
  change: PaymentChange,
  cause: TransitionCause,
  event?: ProviderEventKey,
): Promise<UpdateResult> {
  const { sql, partitions, clock } = context;
  const now = clock();
  await partitions.cover([now]);
  return sql.transaction(async (tx): Promise<UpdateResult> => {
    const rows = await tx.query(
      `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) throw new Error(`payment ${id} does not exist`);
    const current = paymentFromRow(row);
    if (event !== undefined) {
      const seen = await tx.query("SELECT 1 FROM provider_events WHERE adapter = $1 AND event_id = $2", [
        event.adapter,
        event.eventId,
      ]);
      if (seen.length > 0) return { applied: false, record: current, why: "duplicate" };
    }
    if (current.version !== expectedVersion) return { applied: false, record: current, why: "stale" };
    if (
      change.status !== undefined &&
      change.status !== current.status &&
      !canTransition(current.status, change.status, change.failure?.reason)
    ) {
      return { applied: false, record: current, why: "backwards" };
    }
    const changed = dropSpentMethod({ ...current, ...change, updatedAt: now, version: current.version + 1 });
    const events = changeEvents(current, change, changed);
    const next: PaymentRecord = { ...changed, eventsHeld: events.held || undefined };
    // Every changeable column is rewritten from `next`, so a field the change clears becomes NULL.
    const values = paymentValues(next);
    const params: SqlValue[] = [id];
    const assignments: string[] = [];
    PAYMENT_COLUMNS.forEach((column, index) => {
      if (!MUTABLE_COLUMNS.has(column)) return;
      params.push(values[index] ?? null);
      assignments.push(`${column} = $${params.length}`);
    });
    await tx.query(`UPDATE payments SET ${assignments.join(", ")} WHERE id = $1`, params);
    if (next.status !== current.status) await appendJournal(tx, id, current.status, next.status, cause, now);
    if (events.write) await appendOutbox(tx, outboxEventFor(next, current.status, now));
    if (events.discard)
      await tx.query("DELETE FROM payment_outbox WHERE payment_id = $1 AND published_at IS NULL", [id]);
    if (event !== undefined) {
      await tx.query(
        `INSERT INTO provider_events (adapter, event_id, payment_id, claimed_status, outcome, received_at)
          VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          event.adapter,
          event.eventId,
          id,
          statuses.name(event.claimedStatus),
          providerEventOutcome(current.status, event.claimedStatus, next.status !== current.status),
          now,
        ],
      );
    }
    return { applied: true, record: next, previous: current };
  });
}

// The columns PaymentChange can reach, plus the bookkeeping update() itself sets.
const MUTABLE_COLUMNS: ReadonlySet<string> = new Set([
  "status",
  "adapter",
  "provider_reference",
  "customer_action",
  "failure",
  "outcome_unknown",
  "expires_at",
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
  "updated_at",
  "version",
]);

async function appendJournal(
  tx: SqlQueryable,
  paymentId: string,
  from: PaymentRecord["status"],
  to: PaymentRecord["status"],
  cause: TransitionCause,
  at: Date,
): Promise<void> {
  await tx.query(
    "INSERT INTO payment_journal (payment_id, from_status, to_status, cause, at) VALUES ($1, $2, $3, $4, $5)",
    [paymentId, statuses.name(from), statuses.name(to), cause, at],
  );
}

async function appendOutbox(tx: SqlQueryable, event: OutboxEvent): Promise<void> {
  await tx.query(
    `INSERT INTO payment_outbox (event_id, payment_id, version, routing_key, payload, created_at, trace_parent)
      VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      event.eventId,
      event.paymentId,
      event.version,
      event.routingKey,
      event.payload,
      event.createdAt,
      event.traceParent ?? null,
    ],
  );
}
