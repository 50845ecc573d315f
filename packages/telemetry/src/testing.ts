// @paymesh/telemetry/testing: helpers for tests that read what a process exposes — its /metrics text
// and its log lines — and the spans it makes (startTestTracing).
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { startTracing } from "./tracing.ts";

export { promtoolProblems, sampleValue, seriesOf } from "./metrics-testing.ts";
export { KNOWN_SECRETS, leakedSecrets } from "./redaction-fixtures.ts";

/** Tracing in a test's own process; see {@link startTestTracing}. */
export interface TestTracing {
  /** Every span ended since the start or the last `reset`, in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  /** Stops tracing and clears the OpenTelemetry globals, for the next test file's own. */
  shutdown(): Promise<void>;
}

/**
 * Starts real tracing in the test process (the SDK, W3C propagation, async-local context) that
 * keeps finished spans in memory, exported as each ends, and instruments no library: what a test
 * sees is the spans Paymesh's own code makes and the context it carries.
 */
export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const running = startTracing(
    {
      serviceName: "paymesh-test",
      protocol: "http/json",
      sampler: { kind: "always_on" },
      scheduledDelayMillis: 0,
    },
    { spanProcessor: new SimpleSpanProcessor({ exporter }), instrumentations: [] },
  );
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () => running.shutdown(),
  };
}
