import { isSpanContextValid, trace } from "@opentelemetry/api";
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import { createRedactor, type Redactor } from "./redaction.ts";

export type { Logger } from "pino";

/** The levels a logger can be set to; "silent" logs nothing. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** The process's name on every line, e.g. "router", "adapter-qris". */
  service: string;
  /** @default "info" */
  level?: LogLevel;
  /**
   * Where lines go, one JSON object each. @default stderr (stdout keeps the one startup line
   * launchers read), written asynchronously so a served call never waits on the pipe; pino flushes
   * what is pending when the process exits
   */
  destination?: DestinationStream;
  /** @default createRedactor(): the shared rules */
  redactor?: Redactor;
}

/**
 * The one structured logger of every Paymesh process (pino). Each line carries `time` as an ISO
 * string, `level` as its name, `service`, and the `trace_id` and `span_id` of the span active when
 * it was written. Only `@opentelemetry/api` is read, so the ids appear when a tracing SDK is
 * started and the logger works the same without one.
 *
 * Every line is redacted before it is written, by the same rules adapters mask their provider
 * exchanges with: ruled keys at any depth (account numbers, names, tokens, signatures, keys,
 * authorization headers), and secrets with a shape of their own inside any text, the message and
 * errors' messages and stacks included ({@link Redactor.maskLogValue}). Errors anywhere in a line
 * are written with their message, stack and cause chain.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const redactor = options.redactor ?? createRedactor();
  const settings: LoggerOptions = {
    level: options.level ?? "info",
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => loggable(object, 0) as Record<string, unknown>,
    },
    // Errors are already plain by then (formatters.log runs first), wherever they stand.
    serializers: { err: (error: unknown) => error },
    mixin: activeSpanIds,
    // The finished line is masked as a whole, so nothing escapes: child bindings (which pino
    // serializes once, past any formatter), the message, the mixin and every error's words.
    hooks: { streamWrite: (line) => `${JSON.stringify(redactLine(redactor, line))}\n` },
  };
  return pino(settings, options.destination ?? pino.destination({ fd: 2, sync: false }));
}

/**
 * The line's JSON, masked. The trace and span ids are put back as they were: they are hex, and one
 * made only of digits would otherwise be masked as an account number.
 */
function redactLine(redactor: Redactor, line: string): unknown {
  const { trace_id, span_id, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const masked = redactor.maskLogValue(rest) as Record<string, unknown>;
  return trace_id === undefined ? masked : { ...masked, trace_id, span_id };
}

/** The active span's ids, for the line being written; none outside a (valid) span. */
function activeSpanIds(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const context = span.spanContext();
  return isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}

/**
 * The value as JSON can hold it: Errors as pino writes one (type, message and stack with their
 * causes), dates as ISO strings, bigints as decimal text, bytes by their length only.
 */
function loggable(value: unknown, depth: number): unknown {
  if (value instanceof Error) return pino.stdSerializers.err(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (depth > 8 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => loggable(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, loggable(child, depth + 1)]));
}
