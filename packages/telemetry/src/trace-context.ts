import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  type Link,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

// Trace context across the boundaries Paymesh owns (the webhook work queue, the outbox, the
// resolver), through the OpenTelemetry API alone: without a started SDK every call here is a
// no-op, and nothing in this file needs one.

/** The instrumentation scope of Paymesh's own spans. */
export const PAYMESH_TRACER = "paymesh";

/** The W3C `traceparent` of the active span (or of `from`); undefined outside a sampled trace. */
export function currentTraceParent(from: Context = context.active()): string | undefined {
  return traceHeaders(from).traceparent;
}

/**
 * The active trace context as W3C headers (`traceparent`, `tracestate`, `baggage`), to carry in a
 * queued message so its consumer can link back to the producer. Empty outside a trace.
 */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The context `headers` carry (a `traceparent` among them), for making a span its child. */
export function contextFromHeaders(headers: Readonly<Record<string, string>>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/**
 * Runs `work` in the trace a stored `traceparent` names, so the spans it makes (an amqplib publish)
 * join that trace; outside any trace when it is undefined.
 */
export function inTraceOf<T>(traceParent: string | undefined, work: () => T): T {
  return context.with(
    traceParent === undefined ? ROOT_CONTEXT : contextFromHeaders({ traceparent: traceParent }),
    work,
  );
}

/**
 * A span link to the span a `traceparent` names: how a span says "caused by" across a queue or
 * a schedule without joining that trace. None for a missing or malformed one.
 */
export function linkTo(traceParent: string | undefined, attributes?: Attributes): Link[] {
  if (traceParent === undefined) return [];
  const linked = trace.getSpanContext(contextFromHeaders({ traceparent: traceParent }));
  if (linked === undefined || !trace.isSpanContextValid(linked)) return [];
  return [{ context: linked, ...(attributes === undefined ? {} : { attributes }) }];
}

/** Options of {@link inSpan}. */
export interface InSpanOptions {
  attributes?: Attributes;
  links?: Link[];
  /** @default SpanKind.INTERNAL */
  kind?: SpanKind;
  /** Starts a trace of its own instead of joining the active one. @default false */
  root?: boolean;
  /**
   * Makes no span outside a trace (the work just runs), as the database instrumentations do, so
   * background polling does not make a stream of one-span traces. @default false
   */
  requireParent?: boolean;
}

/**
 * Runs `work` inside a new active span named `name` and ends it when the work settles, marking it
 * an error (with the exception recorded) when the work throws. `work` gets the span, e.g. to add a
 * link it learns of on the way.
 */
export async function inSpan<T>(
  name: string,
  options: InSpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  if (options.requireParent === true && trace.getActiveSpan() === undefined) {
    return work(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  }
  const tracer = trace.getTracer(PAYMESH_TRACER);
  const spanOptions = {
    kind: options.kind ?? SpanKind.INTERNAL,
    ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
    ...(options.links === undefined ? {} : { links: options.links }),
    ...(options.root === true ? { root: true } : {}),
  };
  return tracer.startActiveSpan(name, spanOptions, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : "" });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Exports the spans still buffered and stops tracing, if this process started it; otherwise does
 * nothing. A process calls it last before exiting, so its final spans are not lost.
 */
export async function shutdownTracing(): Promise<void> {
  const global = trace.getTracerProvider();
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  if ("shutdown" in provider && typeof provider.shutdown === "function") {
    await (provider.shutdown as () => Promise<void>).call(provider);
  }
}
