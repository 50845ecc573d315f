// Shared plumbing of the provider simulators (services/adapter-*/sandbox). Only what every simulator
// does the same way lives here; routes, signatures, error shapes and magic values stay with each one.
export { type BaseSimulatorOptions, type ResolvedBaseOptions, resolveBaseOptions } from "./base-options.ts";
export {
  type CallbackAttempt,
  type CallbackDelivery,
  type CallbackDeliveryOptions,
  type CallbackMessage,
  createCallbackDelivery,
  type DeliveryOutcome,
  isSuccessStatus,
  type OutgoingCallback,
} from "./callback-delivery.ts";
export { type CallbackReceiver, type ReceivedCallback, startCallbackReceiver } from "./callback-receiver.ts";
export {
  absoluteUrl,
  baseConfigFields,
  type ConfigField,
  type ConfigFields,
  callbackOrderFields,
  failNextField,
  jsonObject,
  nonNegativeInteger,
  nullable,
  parseConfigPatch,
  trueOrFalse,
} from "./config-patch.ts";
export {
  type BaseControlActions,
  baseControlRoutes,
  type ControlRoute,
  type ControlRoutes,
  handleControl,
  readJsonObject,
} from "./control-api.ts";
export { callControl } from "./control-client.ts";
export { ControlError, isControlError } from "./control-error.ts";
export { type DurableState, type DurableStateOptions, openDurableState } from "./durable-state.ts";
export {
  type FailNext,
  type FaultConfig,
  type InjectedFault,
  injectFaults,
  noFaults,
} from "./fault-injection.ts";
export { header, readBody, sendJson } from "./http-io.ts";
export {
  answerProviderRequest,
  type FoundRoute,
  findRoute,
  type ProviderAnswer,
  type ProviderHandler,
  type ProviderRequestHandling,
  sendAnswer,
} from "./provider-request.ts";
export {
  isSimulatorUsageError,
  type MainProcess,
  type RunningSimulator,
  runSimulatorMain,
  type SimulatorEnv,
  type SimulatorMainOptions,
  type SimulatorMainSettings,
  SimulatorUsageError,
} from "./run-simulator-main.ts";
export {
  type ScriptedProxy,
  type ScriptedReply,
  type ScriptedStep,
  startScriptedProxy,
} from "./scripted-proxy.ts";
export { seededInteger, seededValue } from "./seeded-random.ts";
export {
  applyDiscrepancies,
  type DayReport,
  DISCREPANCY_CLASSES,
  type Discrepancy,
  type DiscrepancyClass,
  dayReportSource,
  indonesianFormatted,
  MAX_SYNTHESIZED_LINES,
  type Pricing,
  parseDiscrepancies,
  parseSynthesis,
  type ReportCandidate,
  type ReportEntry,
  type ReportPage,
  type ReportSource,
  reportPage,
  reportTotals,
  type Synthesis,
  synthesizedEntry,
  synthesizedSource,
  timeWindow,
} from "./settlement-report.ts";
export {
  createSettlementReportControls,
  type ReportBasis,
  type SettlementReportControls,
  withReportReset,
} from "./settlement-report-controls.ts";
export type { SimulatedSettlementTerms } from "./settlement-terms.ts";
export {
  createSimRecords,
  type SavedSimRecords,
  type SimCounts,
  type SimRecords,
} from "./sim-records.ts";
export {
  type SimulatorServer,
  type SimulatorServerOptions,
  startSimulatorServer,
} from "./simulator-server.ts";
export { type SimulatorStart, startSimulator } from "./start-simulator.ts";
