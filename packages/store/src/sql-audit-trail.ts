import {
  EXCHANGE_COLUMNS,
  exchangeFromRow,
  JOURNAL_COLUMNS,
  journalFromRow,
  responseFromRow,
} from "./audit-row-mapping.ts";
import type { PaymentStore } from "./payment-store.ts";
import { recordExchangesOn, type WriteContext } from "./sql-payment-writes.ts";

/** The PaymentStore methods behind the audit trail and the stored CreatePayment answers. */
export type AuditTrail = Pick<
  PaymentStore,
  "recordExchanges" | "journal" | "exchanges" | "saveResponse" | "findResponse"
>;

/**
 * The append-only side of the SQL store: the journal (written by insert and update, read here),
 * the provider exchanges, and the final answers kept for byte-identical replays (docs/architecture.md §5).
 */
export function createSqlAuditTrail(context: WriteContext): AuditTrail {
  const { sql, partitions, clock } = context;
  return {
    async recordExchanges(paymentId, adapter, exchanges) {
      await partitions.cover(exchanges.map((exchange) => exchange.startedAt));
      await recordExchangesOn(sql, paymentId, { adapter, records: exchanges });
    },
    async journal(paymentId) {
      const rows = await sql.query(
        `SELECT ${JOURNAL_COLUMNS} FROM payment_journal WHERE payment_id = $1 ORDER BY seq`,
        [paymentId],
      );
      return rows.map(journalFromRow);
    },
    async exchanges(paymentId) {
      const rows = await sql.query(
        `SELECT ${EXCHANGE_COLUMNS.join(", ")} FROM provider_exchanges WHERE payment_id = $1 ORDER BY seq`,
        [paymentId],
      );
      return rows.map(exchangeFromRow);
    },
    async saveResponse(caller, idempotencyKey, response) {
      const now = clock();
      // The WHERE makes the first answer final: a replay must return the bytes sent the first time.
      await sql.query(
        `INSERT INTO idempotency_records
        (caller, idempotency_key, fingerprint, payment_id, grpc_code, response, created_at, completed_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
        ON CONFLICT (caller, idempotency_key) DO UPDATE SET fingerprint = excluded.fingerprint,
          payment_id = excluded.payment_id, grpc_code = excluded.grpc_code,
          response = excluded.response, completed_at = excluded.completed_at
        WHERE idempotency_records.response IS NULL`,
        [
          caller,
          idempotencyKey,
          response.fingerprint,
          response.paymentId,
          response.grpcCode,
          response.body,
          now,
        ],
      );
    },
    async findResponse(caller, idempotencyKey) {
      const rows = await sql.query(
        `SELECT fingerprint, payment_id, grpc_code, response FROM idempotency_records
        WHERE caller = $1 AND idempotency_key = $2 AND response IS NOT NULL`,
        [caller, idempotencyKey],
      );
      const row = rows[0];
      return row === undefined ? undefined : responseFromRow(row);
    },
  };
}
