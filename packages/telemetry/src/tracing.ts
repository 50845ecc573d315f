import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { type Instrumentation, registerInstrumentations } from "@opentelemetry/instrumentation";
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import { GrpcInstrumentation } from "@opentelemetry/instrumentation-grpc";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TracesSampler, TracingConfig } from "./tracing-config.ts";

/** Options of {@link startTracing}; everything but the config has a default. */
export interface StartTracingOptions {
  /** Where finished spans go. @default OTLP over HTTP in `config.protocol`, batched */
  exporter?: SpanExporter;
  /** @default a BatchSpanProcessor over `exporter`, flushing every `config.scheduledDelayMillis` */
  spanProcessor?: SpanProcessor;
  /** @default {@link paymeshInstrumentations} */
  instrumentations?: Instrumentation[];
}

/** Tracing as started; `shutdown` exports what is buffered and stops. */
export interface RunningTracing {
  readonly provider: TracerProvider;
  shutdown(): Promise<void>;
}

/**
 * The libraries whose calls become spans in every Paymesh process: gRPC client and server (every
 * router and adapter hop), the HTTP server (Connect, webhooks, admin, the simulators), fetch
 * (adapters' provider calls, simulators' notifications), pg, ioredis and amqplib. Database and
 * Redis calls are traced only inside a trace, so the relay's and resolver's polling makes no
 * stream of one-span traces.
 */
export function paymeshInstrumentations(): Instrumentation[] {
  return [
    new GrpcInstrumentation(),
    new HttpInstrumentation(),
    new UndiciInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new AmqplibInstrumentation(),
  ];
}

/**
 * Starts tracing for this process: a tracer provider with the service's name, W3C trace context
 * and baggage propagation, async-local context, and the instrumentations, all registered as the
 * OpenTelemetry API's globals. Call it once, before the instrumented libraries are loaded; under
 * ESM that means from the `@paymesh/telemetry/register` module given to `node --import`.
 */
export function startTracing(config: TracingConfig, options: StartTracingOptions = {}): RunningTracing {
  const spanProcessor =
    options.spanProcessor ??
    new BatchSpanProcessor({
      exporter: options.exporter ?? otlpExporter(config),
      scheduledDelayMillis: config.scheduledDelayMillis,
    });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    sampler: samplerFor(config.sampler),
    spanProcessors: [spanProcessor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: options.instrumentations ?? paymeshInstrumentations(),
  });
  return {
    provider,
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

// The exporters read the endpoint, headers, timeout and compression from the OTEL_EXPORTER_OTLP_*
// variables themselves, as the specification lays out.
function otlpExporter(config: TracingConfig): SpanExporter {
  return config.protocol === "http/json" ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}

function samplerFor(sampler: TracesSampler): Sampler {
  switch (sampler.kind) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(sampler.ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampler.ratio) });
  }
}
