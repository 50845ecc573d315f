import { lockForTransaction, readBigint, readDate, readText, type SqlClient } from "@paymesh/store";
import { ReconError } from "./recon-error.ts";

/** What a person decided about a discrepancy: it is fine, it is lost money, or it was corrected. */
export type ResolutionAction = "accept" | "write-off" | "adjust";

const ACTIONS: ReadonlySet<string> = new Set<ResolutionAction>(["accept", "write-off", "adjust"]);

/**
 * A decision to record. The verdict is named by its run and its line (a line's verdict) or its
 * payment (the verdict of a payment no line settled): names a rerun keeps.
 */
export interface RecordResolution {
  runId: bigint;
  lineNo?: number;
  paymentId?: string;
  action: ResolutionAction;
  /** Who decided: the operator's identity as authenticated by the caller. */
  actor: string;
  /** Why. Required: a decision nobody can explain later is not evidence. */
  note: string;
}

/** A recorded decision, with the verdict's class at the time and when it was made. */
export interface Resolution extends RecordResolution {
  seq: bigint;
  verdictClass: string;
  at: Date;
}

/** The longest note kept: a paragraph of evidence, not a document. */
export const MAX_NOTE_LENGTH = 2000;

/**
 * Appends a decision to recon_resolutions, whose trigger refuses any UPDATE or DELETE. The verdict
 * must exist now and be a discrepancy; its class is copied, so the trail says what was decided
 * about even if a later rerun judges the line differently. A discrepancy is decided once: a second
 * decision about the same verdict in the same class is refused with ALREADY_RESOLVED (a mistaken
 * decision stays in the trail; a rerun that reclasses the line opens it again). The check and the
 * append run under a lock on the run, so two operators deciding at once cannot both succeed.
 */
export async function recordResolution(
  sql: SqlClient,
  request: RecordResolution,
  now: Date,
): Promise<Resolution> {
  const invalid = (field: string, message: string) =>
    new ReconError("INVALID_REQUEST", `${field}: ${message}`, { field });
  if (!ACTIONS.has(request.action))
    throw invalid("action", `${JSON.stringify(request.action)} is not one of accept, write-off, adjust`);
  if (request.actor.trim() === "") throw invalid("actor", "is required");
  if (request.note.trim() === "") throw invalid("note", "is required");
  if (request.note.length > MAX_NOTE_LENGTH)
    throw invalid("note", `is longer than ${MAX_NOTE_LENGTH} characters`);
  if ((request.lineNo === undefined) === (request.paymentId === undefined))
    throw new ReconError("INVALID_REQUEST", "name the verdict by exactly one of lineNo and paymentId", {
      field: "id",
    });
  const lineNo = request.lineNo ?? null;
  const paymentId = request.paymentId ?? null;
  return sql.transaction(async (tx) => {
    await lockForTransaction(tx, sql.schema, `recon-resolutions:${request.runId}`);
    const verdicts = await tx.query(
      `SELECT v.class, v.discrepancy, EXISTS (
         SELECT 1 FROM recon_resolutions r WHERE r.run_id = v.run_id AND r.class = v.class
           AND r.line_no IS NOT DISTINCT FROM v.line_no AND (v.line_no IS NOT NULL OR r.payment_id = v.payment_id)
       ) AS resolved
       FROM recon_verdicts v
       WHERE v.run_id = $1 AND (v.line_no = $2 OR ($2::integer IS NULL AND v.line_no IS NULL AND v.payment_id = $3))`,
      [request.runId, lineNo, paymentId],
    );
    const verdict = verdicts[0];
    if (verdict === undefined) throw new ReconError("NOT_FOUND", `run ${request.runId} has no such verdict`);
    const verdictClass = readText(verdict, "class");
    if (verdict.discrepancy !== true)
      throw invalid("id", `the verdict is ${verdictClass}, not a discrepancy: there is nothing to decide`);
    if (verdict.resolved === true)
      throw new ReconError("ALREADY_RESOLVED", `this ${verdictClass} discrepancy has already been resolved`);
    const rows = await tx.query(
      `INSERT INTO recon_resolutions (run_id, line_no, payment_id, class, action, actor, note, at)
       SELECT v.run_id, v.line_no, v.payment_id, v.class, $4, $5, $6, $7 FROM recon_verdicts v
       WHERE v.run_id = $1 AND (v.line_no = $2 OR ($2::integer IS NULL AND v.line_no IS NULL AND v.payment_id = $3))
       RETURNING seq, class, at`,
      [request.runId, lineNo, paymentId, request.action, request.actor, request.note, now],
    );
    const row = rows[0];
    if (row === undefined) throw new ReconError("NOT_FOUND", `run ${request.runId} has no such verdict`);
    return {
      ...request,
      seq: readBigint(row, "seq"),
      verdictClass: readText(row, "class"),
      at: readDate(row, "at"),
    };
  });
}
