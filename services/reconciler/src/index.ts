// The reconciliation engine: settlement reports bulk-loaded and matched against our payments.

export { type DiscrepancyEvent, publishDiscrepancies } from "./discrepancy-events.ts";
export {
  type EmbeddedReconciler,
  type EmbeddedReconcilerOptions,
  startEmbeddedReconciler,
} from "./embedded-reconciler.ts";
export { FEE_ROUNDINGS, type FeeRounding, type FeeRule, type FeeSchedule } from "./fee-schedule.ts";
export { isBusinessDate } from "./line-check.ts";
export { isReconError, ReconError, type ReconErrorCode } from "./recon-error.ts";
export { EXPORT_COLUMNS, runJson, type VerdictJson, verdictJson, verdictsCsv } from "./recon-export.ts";
export { type ReconJob, readReconJob, reconJobMessage } from "./recon-job.ts";
export {
  type ClassAmount,
  type ClassTotal,
  createReconLedger,
  DEFAULT_LIMIT as DEFAULT_RECON_LIMIT,
  type DiscrepancyFilter,
  MAX_LIMIT as MAX_RECON_LIMIT,
  type ReconLedger,
  type ReconLedgerOptions,
  type ResolveRequest,
  type RunDetail,
  type RunFilter,
  type RunRow,
  type VerdictRow,
} from "./recon-ledger.ts";
export { type ReconMetrics, type RunOutcome, reconMetrics } from "./recon-metrics.ts";
export { isRunStatus, type RunStatus, type RunSummary } from "./recon-runs.ts";
export { type AdapterSchedule, dueBusinessDates } from "./recon-schedule.ts";
export {
  createReconScheduler,
  type ReconScheduler,
  type ReconSchedulerOptions,
  type ScheduledRun,
} from "./recon-scheduler.ts";
export { createReconWorker, type ReconWorker, type ReconWorkerOptions } from "./recon-worker.ts";
export {
  createReconciler,
  type Reconciler,
  type ReconcilerOptions,
  type RunProgress,
  type RunRequest,
  type SettlementTerms,
} from "./reconciler.ts";
export {
  hasReconSettings,
  loadReconcilerConfig,
  loadReconSettings,
  type ReconAdapterConfig,
  type ReconcilerConfig,
  type ReconSettings,
} from "./reconciler-config.ts";
export {
  type ReconcilerServiceOptions,
  type RunningReconciler,
  startReconcilerService,
} from "./reconciler-service.ts";
export {
  type ReconcilerBackends,
  type Reconciliation,
  type ReconciliationOptions,
  startReconciliation,
} from "./reconciliation.ts";
export {
  createReportSource,
  type ReportAdapter,
  type ReportSource,
  type ReportSourceOptions,
} from "./report-source.ts";
export {
  MAX_NOTE_LENGTH,
  type RecordResolution,
  type Resolution,
  type ResolutionAction,
} from "./resolution-trail.ts";
export { createRunConnect, type RunConnect, type RunConnectOptions } from "./run-connect.ts";
export {
  createRunExecution,
  type RunExecution,
  type RunExecutionOptions,
  type RunTrigger,
} from "./run-execution.ts";
export { RUN_STATUS_NUMBERS, runMessage } from "./run-message.ts";
export { type RunningRunServer, type RunServerOptions, startRunServer } from "./run-server.ts";
export { createRunService, type RunService, type RunServiceOptions } from "./run-service.ts";
export {
  type BatchTotal,
  type SettledTransaction,
  type SettlementLine,
  type SettlementReport,
  TRANSACTION_TYPES,
  type TransactionType,
  type UnreadableLine,
} from "./settlement-line.ts";
export { batchTotal, settlementLine, settlementLines } from "./settlement-mapping.ts";
export { isVerdictClass, VERDICT_CLASSES, type VerdictClass } from "./verdict-class.ts";
export { parseVerdictId, type VerdictKey, verdictId } from "./verdict-id.ts";
