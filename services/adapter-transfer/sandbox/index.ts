// The Xendit Disbursements simulator, for the adapter's tests, the e2e suite and local runs.
export { adapterEnv } from "./adapter-env.ts";
export type { FirstDelivery } from "./callback-sender.ts";
export type { DisbursementStatus, SimDisbursement } from "./disbursement-store.ts";
export { FAILURE_CODES, type FailureCode, magicCreation, magicFailureCode } from "./magic-values.ts";
export type { IdempotencyMode, TransferSimulatorOptions } from "./options.ts";
export { simulatorDefaults } from "./options.ts";
export { settlementTerms } from "./settlement-terms.ts";
export type {
  CompletionOutcome,
  DisbursementLookup,
  RecordedCallback,
  SimActions,
} from "./sim-actions.ts";
export { FORGED_CALLBACK_TOKEN } from "./sim-actions.ts";
export type { DeliveryAttempt, SimConfig } from "./sim-state.ts";
export type { TransferSimulator } from "./simulator.ts";
export { createTransferSimulator } from "./simulator.ts";
export { XENDIT_ERRORS, type XenditErrorCode } from "./xendit-failure.ts";
