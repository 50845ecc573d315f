import { SpanStatusCode, trace } from "@opentelemetry/api";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startTestTracing } from "./testing.ts";
import { contextFromHeaders, currentTraceParent, inSpan, linkTo, traceHeaders } from "./trace-context.ts";

const tracing = startTestTracing();
beforeEach(() => tracing.reset());
afterAll(() => tracing.shutdown());

describe("trace context across a queue", () => {
  it("carries the producer's traceparent in headers, and a consumer's span links back to it", async () => {
    const headers = await inSpan("ingress", {}, async () => traceHeaders());
    const [ingress] = tracing.spans();
    expect(headers.traceparent).toBe(
      `00-${ingress?.spanContext().traceId}-${ingress?.spanContext().spanId}-01`,
    );

    await inSpan(
      "apply",
      { links: linkTo(headers.traceparent, { "paymesh.link": "webhook.ingress" }) },
      async () => {},
    );
    const apply = tracing.spans()[1];
    expect(apply?.links).toEqual([
      {
        context: expect.objectContaining({
          traceId: ingress?.spanContext().traceId,
          spanId: ingress?.spanContext().spanId,
        }),
        attributes: { "paymesh.link": "webhook.ingress" },
        droppedAttributesCount: 0,
      },
    ]);
  });

  it("makes a root span its own trace, even inside another", async () => {
    await inSpan("request", {}, () => inSpan("check", { root: true }, async () => {}));
    const [check, request] = tracing.spans();
    expect(check?.parentSpanContext).toBeUndefined();
    expect(check?.spanContext().traceId).not.toBe(request?.spanContext().traceId);
  });

  it("gives a child span the context headers carry", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const child = trace.getTracer("test").startSpan("consume", {}, contextFromHeaders({ traceparent }));
    child.end();
    expect(child.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(tracing.spans()[0]?.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
  });

  it("has no traceparent and no link outside a trace, or for a malformed one", () => {
    expect(currentTraceParent()).toBeUndefined();
    expect(traceHeaders()).toEqual({});
    expect(linkTo(undefined)).toEqual([]);
    expect(linkTo("00-not-a-trace-01")).toEqual([]);
    expect(linkTo("00-00000000000000000000000000000000-b7ad6b7169203331-01")).toEqual([]);
  });

  it("makes no span for requireParent work outside a trace, and a child inside one", async () => {
    await inSpan("poll", { requireParent: true }, async () => {});
    expect(tracing.spans()).toEqual([]);
    await inSpan("request", {}, () => inSpan("statement", { requireParent: true }, async () => {}));
    const [statement, request] = tracing.spans();
    expect(statement?.name).toBe("statement");
    expect(statement?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
  });

  it("marks a span whose work throws as an error, records the exception, and rethrows", async () => {
    await expect(
      inSpan("fails", {}, async () => {
        throw new Error("adapter unreachable");
      }),
    ).rejects.toThrow("adapter unreachable");
    const [span] = tracing.spans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "adapter unreachable" });
    expect(span?.events.map((event) => event.name)).toEqual(["exception"]);
    expect(span?.ended).toBe(true);
  });
});
