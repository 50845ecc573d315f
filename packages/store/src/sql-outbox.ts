import { statuses } from "./enum-names.ts";
import type { OutboxEvent, ProviderEventOutcome, ProviderEventRecord } from "./payment-events.ts";
import type { PaymentStore } from "./payment-store.ts";
import { isNull, readBigint, readBytes, readDate, readInt, readText } from "./row-values.ts";
import type { SqlClient, SqlRow } from "./sql-client.ts";

/** The PaymentStore methods over the outbox and the recorded provider events. */
export type OutboxAccess = Pick<
  PaymentStore,
  "relayOutbox" | "paymentEvents" | "purgeOutbox" | "providerEvents"
>;

const OUTBOX_COLUMNS = "event_id, payment_id, version, routing_key, payload, created_at, trace_parent";

// The events a relay may send: unpublished, of a payment whose events are not held. A payment's
// events share its hold, so they are released together and still leave in the order written.
const RELAYABLE = `FROM payment_outbox o JOIN payments p ON p.id = o.payment_id
  WHERE o.published_at IS NULL AND NOT p.events_held`;

/**
 * The outbox side of the SQL store. A relay pass holds a transaction-scoped advisory lock, so with
 * several routers on one database one relays at a time and each payment's events leave in the order written;
 * the others find the lock taken and leave the work to it.
 */
export function createSqlOutbox(sql: SqlClient, clock: () => Date): OutboxAccess {
  return {
    async relayOutbox(limit, publish) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
      return sql.transaction(async (tx) => {
        // The lock and the read in one statement: a pass costs BEGIN, this, the UPDATE and COMMIT.
        // MATERIALIZED runs the lock function exactly once, before any row is read.
        const rows = await tx.query(
          `WITH relay_lock AS MATERIALIZED (
            SELECT pg_try_advisory_xact_lock(hashtextextended($2, 0)) AS locked
          )
          SELECT l.locked, o.seq, o.event_id, o.payment_id, o.version, o.routing_key, o.payload, o.created_at,
            o.trace_parent
          FROM relay_lock l LEFT JOIN LATERAL (
            SELECT o.* ${RELAYABLE} AND l.locked ORDER BY o.seq LIMIT $1
          ) o ON true`,
          [limit, `paymesh:${sql.schema}:outbox-relay`],
          { prepare: true },
        );
        if (rows[0]?.locked !== true) return { published: 0, failed: 0, busy: true };
        // No event: the one row is the lock's, with nothing joined.
        if (rows.length === 1 && rows[0]?.seq === null) return { published: 0, failed: 0 };
        const events = rows.map(outboxEventFromRow);
        const results = await Promise.allSettled(events.map((event) => publish(event)));
        const sent = rows
          .filter((_, index) => results[index]?.status === "fulfilled")
          .map((row) => readBigint(row, "seq").toString());
        if (sent.length > 0) {
          await tx.query(
            "UPDATE payment_outbox SET published_at = $1 WHERE seq = ANY($2::bigint[])",
            [clock(), sent],
            { prepare: true },
          );
        }
        const failure = results.find((result) => result.status === "rejected");
        return {
          published: sent.length,
          failed: events.length - sent.length,
          ...(failure === undefined ? {} : { error: failure.reason }),
        };
      });
    },
    async paymentEvents(paymentId, afterVersion) {
      const rows = await sql.query(
        `SELECT ${OUTBOX_COLUMNS} FROM payment_outbox WHERE payment_id = $1 AND version > $2 ORDER BY version`,
        [paymentId, afterVersion],
      );
      return rows.map(outboxEventFromRow);
    },
    async purgeOutbox(before) {
      const rows = await sql.query(
        "DELETE FROM payment_outbox WHERE published_at IS NOT NULL AND created_at < $1 RETURNING seq",
        [before],
      );
      return rows.length;
    },
    async providerEvents(paymentId) {
      const rows = await sql.query(
        `SELECT adapter, event_id, payment_id, claimed_status, outcome, received_at FROM provider_events
          WHERE payment_id = $1 ORDER BY received_at, event_id`,
        [paymentId],
      );
      return rows.map(providerEventFromRow);
    },
  };
}

function outboxEventFromRow(row: SqlRow): OutboxEvent {
  return {
    eventId: readText(row, "event_id"),
    paymentId: readText(row, "payment_id"),
    version: readInt(row, "version"),
    routingKey: readText(row, "routing_key"),
    payload: readBytes(row, "payload"),
    createdAt: readDate(row, "created_at"),
    ...(isNull(row, "trace_parent") ? {} : { traceParent: readText(row, "trace_parent") }),
  };
}

function isOutcome(value: string): value is ProviderEventOutcome {
  return value === "applied" || value === "same_status" || value === "ignored";
}

function providerEventFromRow(row: SqlRow): ProviderEventRecord {
  const outcome = readText(row, "outcome");
  if (!isOutcome(outcome)) throw new Error(`unknown provider event outcome ${JSON.stringify(outcome)}`);
  return {
    adapter: readText(row, "adapter"),
    eventId: readText(row, "event_id"),
    paymentId: readText(row, "payment_id"),
    claimedStatus: statuses.value(readText(row, "claimed_status")),
    outcome,
    receivedAt: readDate(row, "received_at"),
  };
}
