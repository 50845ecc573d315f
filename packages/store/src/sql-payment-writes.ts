import { PaymentStatus } from "@paymesh/proto";
import { EXCHANGE_COLUMNS, exchangeValues } from "./audit-row-mapping.ts";
import { statuses } from "./enum-names.ts";
import type { KeyRing } from "./key-ring.ts";
import type { PartitionKeeper } from "./partition-keeper.ts";
import { planChange } from "./payment-change.ts";
import {
  type OutboxEvent,
  outboxEventFor,
  type ProviderEventKey,
  providerEventOutcome,
} from "./payment-events.ts";
import type { PaymentRecord, TransitionCause } from "./payment-record.ts";
import type {
  ExchangeRecord,
  InsertResult,
  PaymentChange,
  UpdateOptions,
  UpdateResult,
} from "./payment-store.ts";
import { PAYMENT_COLUMNS, paymentFromRow, paymentValues } from "./row-mapping.ts";
import { readBigint } from "./row-values.ts";
import { protectMethod } from "./sealed-method.ts";
import type { SqlClient, SqlQueryable, SqlValue } from "./sql-client.ts";

// Each write of a payment is one statement: data-modifying CTEs put the payment row, its journal
// row, its outbox event, the provider event it comes from, the provider exchanges and the saved
// answer in one implicit transaction, so a CreatePayment costs one database round trip before the
// adapter call and one after it (docs/architecture.md §4). Rows a CTE inserts depend on the
// payment row the statement wrote (SELECT … FROM the CTE), so when that write does not happen,
// nothing else does either; a constraint that fails anywhere rolls the whole statement back.

/** What the two writes need from their store. */
export interface WriteContext {
  sql: SqlClient;
  partitions: PartitionKeeper;
  clock: () => Date;
  /** Seal new payments' methods. */
  keys: KeyRing;
}

/** A statement's parameters: `bind` adds a value and returns its placeholder, cast when asked. */
interface Bindings {
  values: SqlValue[];
  bind(value: SqlValue, type?: string): string;
}

function bindings(): Bindings {
  const values: SqlValue[] = [];
  return {
    values,
    bind(value, type) {
      values.push(value);
      return type === undefined ? `$${values.length}` : `$${values.length}::${type}`;
    },
  };
}

/**
 * PaymentStore.insert. The unique (caller, idempotency_key) of payments decides between
 * simultaneous inserts (docs/architecture.md §5): ON CONFLICT waits for a concurrent inserter to
 * finish, so exactly one of them writes anything. The payment, its idempotency record, its first
 * journal row and its (held) outbox event commit together, or none of them does. A key whose
 * payment exists while its idempotency record was purged after retention is taken all the same.
 */
export async function insertPayment(context: WriteContext, given: PaymentRecord): Promise<InsertResult> {
  const { sql, partitions, clock } = context;
  const record = protectMethod(context.keys, given);
  await partitions.cover([record.createdAt]);
  const { values, bind } = bindings();
  const row = paymentValues(record).map((value) => bind(value));
  const rows = await sql.query(
    `WITH payment AS (
      INSERT INTO payments (${PAYMENT_COLUMNS.join(", ")}) VALUES (${row.join(", ")})
      ON CONFLICT (caller, idempotency_key) DO NOTHING
      RETURNING id, caller, idempotency_key, fingerprint, status, created_at
    ), claim AS (
      INSERT INTO idempotency_records (caller, idempotency_key, fingerprint, payment_id, created_at)
      SELECT caller, idempotency_key, fingerprint, id, ${bind(clock(), "timestamptz")} FROM payment
    ), journal AS (
      INSERT INTO payment_journal (payment_id, from_status, to_status, cause, at)
      SELECT id, status, status, 'api', created_at FROM payment
    ), outbox AS (
      ${outboxInsert("payment", outboxEventFor(record, PaymentStatus.UNSPECIFIED, record.createdAt), bind)}
    )
    SELECT count(*)::integer AS inserted FROM payment`,
    values,
    { prepare: true },
  );
  if (rows[0]?.inserted === 1) {
    return { inserted: true, record: { ...record, metadata: { ...record.metadata } } };
  }
  const existing = await sql.query(
    `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments WHERE caller = $1 AND idempotency_key = $2`,
    [record.caller, record.idempotencyKey],
  );
  const found = existing[0];
  if (found === undefined) {
    throw new Error(
      `idempotency key ${record.idempotencyKey} of ${record.caller} is held, but no payment is`,
    );
  }
  return { inserted: false, record: paymentFromRow(found) };
}

/**
 * PaymentStore.update. The write is conditional on the version (UPDATE … WHERE version = expected):
 * of many writers starting from one version exactly one changes the row, and the row lock makes
 * the others re-check and find a newer version ("stale"). A provider event is recorded in the
 * same statement, so a copy of an event already recorded fails the primary key of provider_events
 * and rolls its whole statement back ("duplicate"). Only the columns the change names (and the
 * bookkeeping) are written.
 */
export async function updatePayment(
  context: WriteContext,
  id: string,
  expectedVersion: number,
  change: PaymentChange,
  cause: TransitionCause,
  event?: ProviderEventKey,
  options: UpdateOptions = {},
): Promise<UpdateResult> {
  const { sql, partitions, clock } = context;
  const now = clock();
  const exchanges = options.exchanges;
  await partitions.cover([now, ...(exchanges?.records ?? []).map((exchange) => exchange.startedAt)]);
  const known = options.current?.version === expectedVersion ? options.current : undefined;
  const current = known ?? (await readPayment(sql, id));
  const plan = current.version === expectedVersion ? planChange(current, change, now) : undefined;
  if (plan === undefined || plan.backwards) {
    await recordExchangesOn(sql, id, exchanges);
    // The caller's copy may be old: what is refused is judged on the row as it is now.
    const latest = known === undefined ? current : await readPayment(sql, id);
    const why = latest.version !== expectedVersion ? "stale" : "backwards";
    return refusal(sql, latest, why, event);
  }
  const { next, events } = plan;
  const { values, bind } = bindings();
  const stored = paymentValues(next);
  const nextValues = new Map<string, SqlValue | undefined>(
    PAYMENT_COLUMNS.map((column, index) => [column, stored[index]]),
  );
  const assignments = writtenColumns(current, change, next).map(
    (column) => `${column} = ${bind(nextValues.get(column) ?? null)}`,
  );
  const parts = [
    `changed AS (
      UPDATE payments SET ${assignments.join(", ")}
      WHERE id = ${bind(id)} AND version = ${bind(expectedVersion)}
      RETURNING ${PAYMENT_COLUMNS.join(", ")}
    )`,
  ];
  if (next.status !== current.status) {
    parts.push(`journal AS (
      INSERT INTO payment_journal (payment_id, from_status, to_status, cause, at)
      SELECT id, ${bind(statuses.name(current.status), "text")}, status, ${bind(cause, "text")}, updated_at
      FROM changed
    )`);
  }
  if (events.write)
    parts.push(`outbox AS (${outboxInsert("changed", outboxEventFor(next, current.status, now), bind)})`);
  if (events.discard) {
    parts.push(`discarded AS (
      DELETE FROM payment_outbox WHERE payment_id = (SELECT id FROM changed) AND published_at IS NULL
    )`);
  }
  if (event !== undefined) {
    const outcome = providerEventOutcome(current.status, event.claimedStatus, next.status !== current.status);
    parts.push(`provider_event AS (
      INSERT INTO provider_events (adapter, event_id, payment_id, claimed_status, outcome, received_at)
      SELECT ${bind(event.adapter, "text")}, ${bind(event.eventId, "text")}, id,
        ${bind(statuses.name(event.claimedStatus), "text")}, ${bind(outcome, "text")}, updated_at
      FROM changed
    )`);
  }
  // Recorded whether or not the change applies: the exchanges happened either way.
  if (exchanges !== undefined && exchanges.records.length > 0) {
    parts.push(`exchanges AS (${exchangeInsert(id, exchanges.adapter, exchanges.records, bind)})`);
  }
  if (options.answer !== undefined) {
    const answer = options.answer.build(next);
    // As saveResponse: the first answer saved is final, a replay must get the bytes sent first.
    parts.push(`answer AS (
      INSERT INTO idempotency_records
        (caller, idempotency_key, fingerprint, payment_id, grpc_code, response, created_at, completed_at)
      SELECT ${bind(options.answer.caller, "text")}, ${bind(options.answer.idempotencyKey, "text")},
        ${bind(answer.fingerprint, "text")}, ${bind(answer.paymentId, "text")}, ${bind(answer.grpcCode, "integer")},
        ${bind(answer.body, "bytea")}, updated_at, updated_at
      FROM changed
      ON CONFLICT (caller, idempotency_key) DO UPDATE SET fingerprint = excluded.fingerprint,
        payment_id = excluded.payment_id, grpc_code = excluded.grpc_code,
        response = excluded.response, completed_at = excluded.completed_at
      WHERE idempotency_records.response IS NULL
    )`);
  }
  const review = options.review;
  if (review !== undefined) {
    // The decision and the transition it explains commit together or not at all.
    parts.push(`review AS (
      INSERT INTO payment_review_resolutions
        (payment_id, version, from_status, to_status, review_reason, evidence, note, actor, at)
      SELECT id, version, ${bind(statuses.name(current.status), "text")}, status,
        ${bind(review.reviewReason, "text")}, ${bind(review.evidence, "text")}, ${bind(review.note, "text")},
        ${bind(review.actor, "text")}, updated_at
      FROM changed
      RETURNING seq
    )`);
  }
  const select =
    review === undefined
      ? "SELECT * FROM changed"
      : "SELECT changed.*, review.seq AS review_seq FROM changed, review";
  let rows: Awaited<ReturnType<SqlClient["query"]>>;
  try {
    rows = await sql.query(`WITH ${parts.join(", ")} ${select}`, values, { prepare: true });
  } catch (error) {
    if (!isConstraintViolation(error, "provider_events_pkey")) throw error;
    // The statement rolled back whole, the exchanges with it: they still happened.
    await recordExchangesOn(sql, id, exchanges);
    return { applied: false, record: await readPayment(sql, id), why: "duplicate" };
  }
  const written = rows[0];
  if (written === undefined) return refusal(sql, await readPayment(sql, id), "stale", event);
  const record = paymentFromRow(written);
  if (review === undefined) return { applied: true, record, previous: current };
  return {
    applied: true,
    record,
    previous: current,
    review: {
      seq: readBigint(written, "review_seq"),
      paymentId: record.id,
      version: record.version,
      fromStatus: current.status,
      status: record.status,
      ...review,
      at: record.updatedAt,
    },
  };
}

// The columns each PaymentChange field is stored in. A Record over every key, so a field added
// to PaymentChange does not compile until it says where it is written.
const FIELD_COLUMNS: Readonly<Record<keyof PaymentChange, readonly string[]>> = {
  status: ["status"],
  adapter: ["adapter"],
  providerReference: ["provider_reference"],
  customerAction: ["customer_action"],
  failure: ["failure"],
  outcomeUnknown: ["outcome_unknown"],
  expiresAt: ["expires_at"],
  resolution: ["resolution_next_check_at", "resolution_attempts", "resolution_last_answer"],
  review: ["review_reason", "review_since"],
  rejectedAt: ["rejected_at"],
  eventsHeld: ["events_held"],
};

const SEALED_COLUMNS = ["sealed_method", "sealed_method_key", "sealed_method_key_id"];

/**
 * What an update writes: the columns of the fields the change names (one naming a field as
 * undefined clears it), the bookkeeping, and the sealed method's erasure when the payment leaves
 * PENDING. Nothing else, so columns another writer may have touched without a new version (keys
 * re-wrapped at a router's start) keep what the row holds.
 */
function writtenColumns(current: PaymentRecord, change: PaymentChange, next: PaymentRecord): string[] {
  const columns = new Set(["updated_at", "version", "events_held"]);
  for (const field of Object.keys(change) as (keyof PaymentChange)[]) {
    for (const column of FIELD_COLUMNS[field]) columns.add(column);
  }
  if (current.sealedMethod !== undefined && next.sealedMethod === undefined) {
    for (const column of SEALED_COLUMNS) columns.add(column);
  }
  return [...columns];
}

/** An update that changed nothing, and why: a provider event already recorded comes first. */
async function refusal(
  sql: SqlQueryable,
  record: PaymentRecord,
  why: "stale" | "backwards",
  event: ProviderEventKey | undefined,
): Promise<UpdateResult> {
  if (event !== undefined) {
    const seen = await sql.query("SELECT 1 FROM provider_events WHERE adapter = $1 AND event_id = $2", [
      event.adapter,
      event.eventId,
    ]);
    if (seen.length > 0) return { applied: false, record, why: "duplicate" };
  }
  return { applied: false, record, why };
}

async function readPayment(sql: SqlQueryable, id: string): Promise<PaymentRecord> {
  const rows = await sql.query(`SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments WHERE id = $1`, [id]);
  const row = rows[0];
  if (row === undefined) throw new Error(`payment ${id} does not exist`);
  return paymentFromRow(row);
}

/** Appends exchanges on their own, one statement: all of a call's exchanges or none. */
export async function recordExchangesOn(
  sql: SqlQueryable,
  paymentId: string,
  exchanges: UpdateOptions["exchanges"],
): Promise<void> {
  if (exchanges === undefined || exchanges.records.length === 0) return;
  const { values, bind } = bindings();
  await sql.query(exchangeInsert(paymentId, exchanges.adapter, exchanges.records, bind), values);
}

function exchangeInsert(
  paymentId: string,
  adapter: string,
  exchanges: readonly ExchangeRecord[],
  bind: Bindings["bind"],
): string {
  const tuples = exchanges.map(
    (exchange) =>
      `(${[paymentId, adapter, ...exchangeValues(exchange)].map((value) => bind(value)).join(", ")})`,
  );
  return `INSERT INTO provider_exchanges (payment_id, adapter, ${EXCHANGE_COLUMNS.join(", ")})
    VALUES ${tuples.join(", ")}`;
}

function outboxInsert(source: string, event: OutboxEvent, bind: Bindings["bind"]): string {
  return `INSERT INTO payment_outbox (event_id, payment_id, version, routing_key, payload, created_at, trace_parent)
    SELECT ${bind(event.eventId, "text")}, id, ${bind(event.version, "integer")}, ${bind(event.routingKey, "text")},
      ${bind(event.payload, "bytea")}, ${bind(event.createdAt, "timestamptz")}, ${bind(event.traceParent ?? null, "text")}
    FROM ${source}`;
}

/** Whether a driver error is a unique or primary key violation of `constraint`. */
function isConstraintViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === "23505" && name === constraint;
}
