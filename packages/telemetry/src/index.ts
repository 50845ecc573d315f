// @paymesh/telemetry: what every Paymesh process sets up once to be observed.
export const TELEMETRY_PACKAGE = "@paymesh/telemetry";
export { answerHealth, checkReadiness, type Readiness, type ReadinessCheck } from "./health.ts";
export {
  type HealthServerOptions,
  type RunningHealthServer,
  startHealthServer,
} from "./health-server.ts";
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
