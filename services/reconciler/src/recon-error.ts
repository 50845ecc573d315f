const marker = Symbol.for("paymesh.recon-error");

/**
 * Why a run did not complete, as a closed set a caller can branch on:
 * - RUN_IN_PROGRESS: another worker holds this (adapter, business date) now; nothing was done.
 *   A job queue retries it later (the other run's verdicts will be there by then).
 * - REPORT_REJECTED: the report is not this run's (another adapter, another day): the run is
 *   recorded as failed with the reason and nothing of the report is kept.
 * - INVALID_REQUEST: the run was asked for with arguments that cannot be right (a malformed date,
 *   an impossible fee rule): a caller's bug, not worth retrying.
 * - REPORT_UNAVAILABLE: the adapter could not give the report (down, its provider down, the stream
 *   broke midway): the run is recorded as failed with the reason and its job retried later.
 * - NOT_FOUND: the run or verdict asked about does not exist.
 * - ALREADY_RESOLVED: a person has already decided about this discrepancy (as it is classed now);
 *   the trail keeps the first decision, and a second one is refused rather than silently stacked.
 */
export type ReconErrorCode =
  | "RUN_IN_PROGRESS"
  | "REPORT_REJECTED"
  | "INVALID_REQUEST"
  | "REPORT_UNAVAILABLE"
  | "NOT_FOUND"
  | "ALREADY_RESOLVED";

/** The reconciliation engine's error: a code from the closed set and a message for operators. */
export class ReconError extends Error {
  readonly [marker] = true;
  readonly code: ReconErrorCode;
  /** For INVALID_REQUEST: the argument at fault (`note`, `action`, `limit`, …), when one is. */
  readonly field: string | undefined;

  constructor(code: ReconErrorCode, message: string, options?: { cause?: unknown; field?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ReconError";
    this.code = code;
    this.field = options?.field;
  }
}

/** True for a ReconError from any copy of this module (marker check, not instanceof). */
export function isReconError(value: unknown): value is ReconError {
  return typeof value === "object" && value !== null && marker in value;
}
