// @paymesh/telemetry: what every Paymesh process sets up once to be observed.
export const TELEMETRY_PACKAGE = "@paymesh/telemetry";
export { answerHealth, checkReadiness, type Readiness, type ReadinessCheck } from "./health.ts";
export {
  type HealthServerOptions,
  type RunningHealthServer,
  startHealthServer,
} from "./health-server.ts";
export { type CreateLoggerOptions, createLogger, LOG_LEVELS, type Logger, type LogLevel } from "./logger.ts";
export { captureLogLines, type LogCapture } from "./logger-capture.ts";
export { type FinishedRpc, logRpc } from "./logger-rpc.ts";
export { type LogSettings, LogSettingsError, type RpcLogLevel, readLogSettings } from "./logger-settings.ts";
export {
  createMetrics,
  DURATION_BUCKETS_SECONDS,
  grpcCodeName,
  type Metrics,
  type MetricsOptions,
  processMetrics,
  type RpcTransport,
  rpcDurationHistogram,
} from "./metrics.ts";
export { answerMetrics } from "./metrics-http.ts";
export { scrapeRead, withTimeout } from "./metrics-scrape.ts";
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
export { tracingNodeArgs } from "./register-flag.ts";
export {
  contextFromHeaders,
  currentTraceParent,
  type InSpanOptions,
  inSpan,
  inTraceOf,
  linkTo,
  PAYMESH_TRACER,
  shutdownTracing,
  traceHeaders,
} from "./trace-context.ts";
export {
  type OtlpHttpProtocol,
  readTracingConfig,
  type TracesSampler,
  type TracingConfig,
  TracingConfigError,
} from "./tracing-config.ts";
