import { z } from "zod";

/** How spans leave the process: OTLP over HTTP, as protobuf (the OTLP default) or as JSON. */
export type OtlpHttpProtocol = "http/protobuf" | "http/json";

/** Which spans are kept: the standard OTEL_TRACES_SAMPLER names this process supports. */
export type TracesSampler =
  | { kind: "always_on" | "always_off" | "parentbased_always_on" | "parentbased_always_off" }
  | { kind: "traceidratio" | "parentbased_traceidratio"; ratio: number };

/** What a process traces with, read by {@link readTracingConfig}; undefined means not at all. */
export interface TracingConfig {
  /** The `service.name` resource attribute. */
  serviceName: string;
  protocol: OtlpHttpProtocol;
  sampler: TracesSampler;
  /** Longest a finished span waits before its batch is exported (OTEL_BSP_SCHEDULE_DELAY). */
  scheduledDelayMillis: number;
}

/** A tracing variable that is set but wrong: `variable` names it. */
export class TracingConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`telemetry: ${variable} ${problem}`);
    this.name = "TracingConfigError";
    this.variable = variable;
  }
}

const protocol = z
  .enum(["http/protobuf", "http/json", "grpc"], { error: 'must be "http/protobuf" or "http/json"' })
  .refine((value) => value !== "grpc", {
    error: 'is "grpc", which is not supported here: use "http/protobuf" or "http/json"',
  })
  .optional();

const url = z
  .string()
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), {
    error: (issue) => `must be an http:// or https:// URL, got ${JSON.stringify(issue.input)}`,
  })
  .optional();

// The standard variables (OpenTelemetry SDK environment variable specification) this process reads.
const shape = {
  OTEL_SDK_DISABLED: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .optional()
    .transform((value) => value === "true"),
  OTEL_TRACES_EXPORTER: z.enum(["otlp", "none"], { error: 'must be "otlp" or "none"' }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_SERVICE_NAME: z.string().optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(
      [
        "always_on",
        "always_off",
        "traceidratio",
        "parentbased_always_on",
        "parentbased_always_off",
        "parentbased_traceidratio",
      ],
      { error: "must be always_on, always_off or traceidratio, or one of them prefixed with parentbased_" },
    )
    .default("parentbased_always_on"),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .optional()
    .refine((value) => value === undefined || isRatio(Number(value)), {
      error: "must be a number from 0 to 1",
    }),
  OTEL_BSP_SCHEDULE_DELAY: z
    .string()
    .default("5000")
    .refine((value) => /^\d+$/.test(value) && Number(value) <= 600_000, {
      error: "must be a whole number of milliseconds up to 600000",
    })
    .transform(Number),
};

function isRatio(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

/**
 * Reads the standard `OTEL_*` variables and says whether, and how, this process exports spans.
 * Spans are exported only when asked for: an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER=otlp, and neither OTEL_SDK_DISABLED
 * nor OTEL_TRACES_EXPORTER=none says otherwise. This deliberately differs from the specification's
 * default exporter ("otlp" to localhost): a process nobody asked to trace pays nothing for it.
 * The endpoint, headers, timeout and compression themselves are read by the OTLP exporter.
 * An empty variable counts as unset; a wrong one throws a {@link TracingConfigError} naming it.
 */
export function readTracingConfig(
  defaultServiceName: string,
  source: NodeJS.ProcessEnv = process.env,
): TracingConfig | undefined {
  const given: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const value = source[name]?.trim();
    given[name] = value === "" ? undefined : value;
  }
  const parsed = z.object(shape).safeParse(given);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new TracingConfigError(String(issue?.path[0] ?? "?"), issue?.message ?? "is not valid");
  }
  const read = parsed.data;
  if (read.OTEL_SDK_DISABLED || read.OTEL_TRACES_EXPORTER === "none") return undefined;
  const endpointGiven =
    read.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || read.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
  if (read.OTEL_TRACES_EXPORTER !== "otlp" && !endpointGiven) return undefined;
  return {
    serviceName: read.OTEL_SERVICE_NAME ?? defaultServiceName,
    protocol: read.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? read.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf",
    sampler: sampler(read.OTEL_TRACES_SAMPLER, read.OTEL_TRACES_SAMPLER_ARG),
    scheduledDelayMillis: read.OTEL_BSP_SCHEDULE_DELAY,
  };
}

function sampler(kind: z.output<typeof shape.OTEL_TRACES_SAMPLER>, arg: string | undefined): TracesSampler {
  if (kind === "traceidratio" || kind === "parentbased_traceidratio") {
    // The specification's default ratio when OTEL_TRACES_SAMPLER_ARG is unset.
    return { kind, ratio: arg === undefined ? 1 : Number(arg) };
  }
  return { kind };
}
