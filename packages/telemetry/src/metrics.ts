import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from "prom-client";

/**
 * Buckets for payment calls, in seconds: a cached read answers in milliseconds, a provider round
 * trip in hundreds of them, and a slow bank in seconds, up to the router's 15 s adapter bound.
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30,
];

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop, GC), unprefixed, in this registry. @default true */
  defaultMetrics?: boolean;
}

/**
 * One Prometheus registry and the means to declare metrics in it. Declaring a name twice returns
 * the metric already there (the same type and labels, or it throws), so two parts of a process may
 * each declare what they record without agreeing on who goes first.
 */
export interface Metrics {
  readonly registry: Registry;
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L>;
  /** A gauge; `collect` runs at each scrape to set its values (read backends there, boundedly). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect?: (gauge: Gauge<L>) => void | Promise<void>,
  ): Gauge<L>;
  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets?: readonly number[],
  ): Histogram<L>;
  /** The exposition text and its content type, what GET /metrics answers. */
  exposition(): Promise<{ contentType: string; text: string }>;
}

/**
 * A registry of its own, for a process (the router gets one per startRouter, so tests running
 * several routers in one process count each apart).
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // prom-client's nodejs_active_{handles,requests,resources}_total are gauges with a counter's
    // suffix, which `promtool check metrics` rejects; the same counts stay, by type, in the
    // unsuffixed nodejs_active_* gauges.
    for (const metric of registry.getMetricsAsArray()) {
      if (metric instanceof Gauge && metric.name.endsWith("_total")) registry.removeSingleMetric(metric.name);
    }
  }

  function declare<M extends Metric>(
    name: string,
    type: abstract new (...args: never[]) => M,
    labelNames: readonly string[],
    make: () => M,
  ): M {
    const existing = registry.getSingleMetric(name);
    if (existing === undefined) return make();
    const known = (existing as unknown as { labelNames: readonly string[] }).labelNames;
    if (!(existing instanceof type) || known.join(",") !== labelNames.join(",")) {
      throw new Error(`metric ${name} is already declared with another type or other labels`);
    }
    return existing;
  }

  return {
    registry,
    counter: (name, help, labelNames) =>
      declare(
        name,
        Counter,
        labelNames,
        () => new Counter({ name, help, labelNames, registers: [registry] }),
      ),
    gauge: (name, help, labelNames, collect) =>
      declare(
        name,
        Gauge,
        labelNames,
        () =>
          new Gauge({
            name,
            help,
            labelNames,
            registers: [registry],
            ...(collect === undefined
              ? {}
              : {
                  collect() {
                    return collect(this);
                  },
                }),
          }),
      ),
    histogram: (name, help, labelNames, buckets = DURATION_BUCKETS_SECONDS) =>
      declare(
        name,
        Histogram,
        labelNames,
        () => new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] }),
      ),
    async exposition() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

let processWide: Metrics | undefined;

/**
 * The registry of code that exists once per process rather than per instance (the adapter kit's
 * provider clients and vocabulary reports): created on first use, with the default metrics.
 */
export function processMetrics(): Metrics {
  processWide ??= createMetrics();
  return processWide;
}

/** Which server protocol answered an RPC. */
export type RpcTransport = "grpc" | "connect";

/**
 * paymesh_rpc_duration_seconds, the one histogram of served RPCs in every process: its _count by
 * code is the request and error rate, its buckets the latency.
 */
export function rpcDurationHistogram(metrics: Metrics): Histogram<"method" | "code" | "transport"> {
  return metrics.histogram(
    "paymesh_rpc_duration_seconds",
    "Served RPCs by method, gRPC status code name and transport (grpc|connect), in seconds.",
    ["method", "code", "transport"],
  );
}

/** gRPC status code names by number, as the `code` label carries them (Connect uses the same numbers). */
const GRPC_CODE_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

/** The name of a gRPC status code ("OK", "INVALID_ARGUMENT"); "UNKNOWN" for a number outside the set. */
export function grpcCodeName(code: number): string {
  return GRPC_CODE_NAMES[code] ?? "UNKNOWN";
}
