// The reconciliation engine: settlement reports bulk-loaded and matched against our payments.
export type { FeeRule, FeeSchedule } from "./fee-schedule.ts";
export { isBusinessDate } from "./line-check.ts";
export { isReconError, ReconError, type ReconErrorCode } from "./recon-error.ts";
export type { RunStatus, RunSummary } from "./recon-runs.ts";
export {
  createReconciler,
  type Reconciler,
  type ReconcilerOptions,
  type RunRequest,
  type SettlementTerms,
} from "./reconciler.ts";
export type { RecordResolution, Resolution, ResolutionAction } from "./resolution-trail.ts";
export {
  type BatchTotal,
  type SettledTransaction,
  type SettlementLine,
  type SettlementReport,
  TRANSACTION_TYPES,
  type TransactionType,
  type UnreadableLine,
} from "./settlement-line.ts";
export { isVerdictClass, VERDICT_CLASSES, type VerdictClass } from "./verdict-class.ts";
