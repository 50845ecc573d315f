// @paymesh/telemetry: what every Paymesh process sets up once to be observed.
export const TELEMETRY_PACKAGE = "@paymesh/telemetry";
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
