import { readBigint, readDate, readText, type SqlClient } from "@paymesh/store";
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

/**
 * Appends a decision to recon_resolutions, whose trigger refuses any UPDATE or DELETE. The verdict
 * must exist now; its class is copied, so the trail says what was decided about even if a later
 * rerun judges the line differently.
 */
export async function recordResolution(
  sql: SqlClient,
  request: RecordResolution,
  now: Date,
): Promise<Resolution> {
  const invalid = (message: string) => new ReconError("INVALID_REQUEST", message);
  if (!ACTIONS.has(request.action))
    throw invalid(`action: ${JSON.stringify(request.action)} is not one of accept, write-off, adjust`);
  if (request.actor.trim() === "") throw invalid("actor: is required");
  if (request.note.trim() === "") throw invalid("note: is required");
  if ((request.lineNo === undefined) === (request.paymentId === undefined))
    throw invalid("name the verdict by exactly one of lineNo and paymentId");
  const lineNo = request.lineNo ?? null;
  const paymentId = request.paymentId ?? null;
  const rows = await sql.query(
    `INSERT INTO recon_resolutions (run_id, line_no, payment_id, class, action, actor, note, at)
     SELECT v.run_id, v.line_no, v.payment_id, v.class, $4, $5, $6, $7 FROM recon_verdicts v
     WHERE v.run_id = $1 AND (v.line_no = $2 OR ($2::integer IS NULL AND v.line_no IS NULL AND v.payment_id = $3))
     RETURNING seq, class, at`,
    [request.runId, lineNo, paymentId, request.action, request.actor, request.note, now],
  );
  const row = rows[0];
  if (row === undefined) throw invalid(`run ${request.runId} has no such verdict`);
  return {
    ...request,
    seq: readBigint(row, "seq"),
    verdictClass: readText(row, "class"),
    at: readDate(row, "at"),
  };
}
