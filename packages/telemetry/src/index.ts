// @paymesh/telemetry: what every Paymesh process sets up once to be observed.
export const TELEMETRY_PACKAGE = "@paymesh/telemetry";
export { type CreateLoggerOptions, createLogger, LOG_LEVELS, type Logger, type LogLevel } from "./logger.ts";
export { captureLogLines, type LogCapture } from "./logger-capture.ts";
export { type FinishedRpc, logRpc } from "./logger-rpc.ts";
export { type LogSettings, LogSettingsError, type RpcLogLevel, readLogSettings } from "./logger-settings.ts";
export {
  createRedactor,
  MASK_RULES,
  type MaskRules,
  maskAccountNumber,
  maskName,
  REDACTED,
  type Redactor,
  type RedactorOptions,
} from "./redaction.ts";
