import type { PaymentStatus } from "@paymesh/proto";
import { statuses } from "./enum-names.ts";
import { readBigint, readDate, readInt, readText } from "./row-values.ts";
import type { SqlClient, SqlRow } from "./sql-client.ts";

/** One operator's decision about a payment the status resolver raised for review. */
export interface ReviewResolution {
  seq: bigint;
  paymentId: string;
  /** The payment's version the decision produced: its journal entry and outbox event are this transition's. */
  version: number;
  fromStatus: PaymentStatus;
  /** SUCCEEDED or FAILED. */
  status: PaymentStatus;
  /** Why the resolver raised it (PaymentRecord.review.reason). */
  reviewReason: string;
  /** What shows the outcome: the provider's reference, a statement line, a ticket. */
  evidence: string;
  /** Why the operator decided so. */
  note: string;
  /** The operator, as their token names them. */
  actor: string;
  at: Date;
}

/**
 * The append-only trail of operators' decisions about payments raised for review
 * (payment_review_resolutions; a trigger refuses every UPDATE, DELETE and TRUNCATE). The decision
 * itself is a PaymentStore.update with cause "operator"; this keeps who, when, why and the evidence.
 */
export interface ReviewTrail {
  /**
   * Appends a decision. Refuses a second one for the same transition (payment, version) with the
   * database's unique violation: a transition is decided once.
   */
  append(entry: Omit<ReviewResolution, "seq">): Promise<ReviewResolution>;
  /** The payment's decisions, oldest first. */
  of(paymentId: string): Promise<ReviewResolution[]>;
}

/** The trail in the store's database (migration 8). */
export function createReviewTrail(sql: SqlClient): ReviewTrail {
  return {
    async append(entry) {
      const rows = await sql.query(
        `INSERT INTO payment_review_resolutions
           (payment_id, version, from_status, to_status, review_reason, evidence, note, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          entry.paymentId,
          entry.version,
          statuses.name(entry.fromStatus),
          statuses.name(entry.status),
          entry.reviewReason,
          entry.evidence,
          entry.note,
          entry.actor,
          entry.at,
        ],
      );
      const row = rows[0];
      if (row === undefined) throw new Error("payment_review_resolutions returned no row");
      return resolutionOf(row);
    },
    async of(paymentId) {
      const rows = await sql.query(
        "SELECT * FROM payment_review_resolutions WHERE payment_id = $1 ORDER BY seq",
        [paymentId],
      );
      return rows.map(resolutionOf);
    },
  };
}

function resolutionOf(row: SqlRow): ReviewResolution {
  return {
    seq: readBigint(row, "seq"),
    paymentId: readText(row, "payment_id"),
    version: readInt(row, "version"),
    fromStatus: statuses.value(readText(row, "from_status")),
    status: statuses.value(readText(row, "to_status")),
    reviewReason: readText(row, "review_reason"),
    evidence: readText(row, "evidence"),
    note: readText(row, "note"),
    actor: readText(row, "actor"),
    at: readDate(row, "at"),
  };
}
