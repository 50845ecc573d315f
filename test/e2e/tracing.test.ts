// One trace from caller to provider, with real processes: router, QRIS adapter and its simulator,
// each started as production starts them (`node --import @paymesh/telemetry/register`), exporting
// OTLP/HTTP JSON to a receiver in this test. Under ESM, grpc-js loaded before the hooks would make
// no spans and propagate no traceparent; these assertions are what fails if that ever comes back.
import { randomBytes } from "node:crypto";
import type { ServiceError } from "@grpc/grpc-js";
import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import { type StartedProcess, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, dropSchema, realBackends, TEST_KEK } from "../support/backends.ts";
import {
  type OtlpReceiver,
  type ReceivedSpan,
  SPAN_KIND,
  startOtlpReceiver,
} from "../support/otlp-receiver.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";

// With DATABASE_URL and REDIS_URL (as CI sets them) the router runs on Postgres and Redis, and
// their spans are part of the trace; without, on PGlite (traced by the store itself) and memory.
const backends = realBackends();
const run = randomBytes(4).toString("hex");
const schema = `paymesh_trace_${run}`;
const keyPrefix = `paymesh:trace:${run}:`;

let receiver: OtlpReceiver;
const processes: StartedProcess<unknown>[] = [];
let simulatorUrl = "";
let routerProcess: StartedProcess<unknown>;
let adapterProcess: StartedProcess<unknown>;
let client: ReturnType<typeof plainPaymentClient>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const tracing = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    // Exported within a tenth of a second of ending, so the test waits for spans briefly.
    OTEL_BSP_SCHEDULE_DELAY: "100",
  };
  const simulator = await startService<{ url: string }>("services/adapter-qris/sandbox/main.ts", {
    PORT: "0",
    ...tracing,
  });
  processes.push(simulator);
  simulatorUrl = simulator.ready.url;
  const adapter = await startService<{ address: string }>("services/adapter-qris/src/main.ts", {
    ADAPTER_PORT: "0",
    ...qrisAdapterEnv(simulatorUrl),
    ...tracing,
  });
  processes.push(adapter);
  adapterProcess = adapter;
  const router = await startService<{ grpc: string; http: string }>("services/router/src/main.ts", {
    DATABASE_URL: backends?.databaseUrl ?? "",
    PAYMESH_KEK: TEST_KEK,
    REDIS_URL: backends?.redisUrl ?? "",
    AMQP_URL: "",
    PAYMESH_DATA_DIR: "",
    PAYMESH_DB_SCHEMA: schema,
    PAYMESH_IDEMPOTENCY_PREFIX: keyPrefix,
    PAYMESH_ROUTER_CONFIG: JSON.stringify({
      grpcPort: 0,
      httpPort: 0,
      callers: { e2e: TEST_TOKEN },
      adapters: { qris: { address: adapter.ready.address } },
      routes: { qris: ["qris"] },
      resolver: { intervalMs: 200, initialDelayMs: 200, maxDelayMs: 500, notFoundConclusiveAfterMs: 60_000 },
    }),
    ...tracing,
  });
  processes.push(router);
  routerProcess = router;
  await simulatorControl(simulatorUrl, "/sim/config", { notifyUrl: `${router.ready.http}/webhooks/qris` });
  client = plainPaymentClient(router.ready.grpc, TEST_TOKEN);
});

afterAll(async () => {
  client?.close();
  await Promise.all(processes.reverse().map((process) => process.stop()));
  await receiver?.close();
  if (backends !== undefined) {
    await dropSchema(backends.databaseUrl, schema);
    await deleteKeys(backends.redisUrl, keyPrefix);
  }
});

const qrisRequest = (key: string) => ({
  idempotencyKey: key,
  amount: { currency: "IDR", minorUnits: "2500000" },
  qris: { terminalLabel: "KASIR-01" },
  merchantReference: `order-${key}`,
});

/** The first span matching, once it has arrived; a wait that ends without one names what it waited for. */
function oneSpan(predicate: (span: ReceivedSpan) => boolean, what = "a span"): Promise<ReceivedSpan> {
  return waitFor(() => receiver.spans().find(predicate), 10_000, what);
}

/** The spans of `traceId` from `span` down, following parent ids. */
function descendants(traceId: string, span: ReceivedSpan): ReceivedSpan[] {
  const inTrace = receiver.spans().filter((candidate) => candidate.traceId === traceId);
  const found: ReceivedSpan[] = [];
  const visit = (parent: ReceivedSpan): void => {
    for (const child of inTrace.filter((candidate) => candidate.parentSpanId === parent.spanId)) {
      found.push(child);
      visit(child);
    }
  };
  visit(span);
  return found;
}

/** The JSON log lines a process has written to stderr so far. */
function logLines(process: StartedProcess<unknown>): Array<Record<string, unknown>> {
  return process
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const isDbSpan = (span: ReceivedSpan, system: string): boolean =>
  span.attributes["db.system.name"] === system || span.attributes["db.system"] === system;

describe("tracing across router, adapter and provider", () => {
  it("makes one trace of a CreatePayment, and links the webhook that completes it", async () => {
    const { payment } = await client.call<{ payment: PlainPayment }>(
      "CreatePayment",
      qrisRequest(`t-${run}-1`),
    );
    expect(payment.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");

    const createMethod = "grpc.payments.v1.PaymentService/CreatePayment";
    const adapterMethod = "grpc.payments.adapter.v1.ProviderAdapter/CreatePayment";
    // The router's server span: the trace's root, since this test's own client is not traced.
    const served = await oneSpan(
      (span) => span.service === "router" && span.kind === SPAN_KIND.server && span.name === createMethod,
    );
    expect(served.parentSpanId).toBe("");
    const trace = served.traceId;
    const routerCall = await oneSpan(
      (span) =>
        span.traceId === trace &&
        span.service === "router" &&
        span.kind === SPAN_KIND.client &&
        span.name === adapterMethod,
    );
    // The adapter's server span is the child of the router's client span: traceparent crossed gRPC.
    const adapterServed = await oneSpan(
      (span) =>
        span.service === "adapter-qris" && span.kind === SPAN_KIND.server && span.name === adapterMethod,
    );
    expect(adapterServed).toMatchObject({ traceId: trace, parentSpanId: routerCall.spanId });
    // The adapter's HTTP calls to the provider (SNAP token, then generate QR), and the simulator's
    // server spans as their children: traceparent crossed HTTP too.
    const providerCall = await oneSpan(
      (span) =>
        span.traceId === trace &&
        span.service === "adapter-qris" &&
        span.kind === SPAN_KIND.client &&
        String(span.attributes["url.full"] ?? "").includes("/qr/qr-mpm-generate"),
    );
    expect(descendants(trace, adapterServed).map((span) => span.spanId)).toContain(providerCall.spanId);
    const providerServed = await oneSpan(
      (span) => span.service === "adapter-qris-sandbox" && span.parentSpanId === providerCall.spanId,
    );
    expect(providerServed).toMatchObject({ traceId: trace, kind: SPAN_KIND.server });
    // The store's statements: pg's spans on Postgres, the store's own on embedded PGlite; and
    // ioredis's idempotency claim when Redis is used.
    const statement = await waitFor(() =>
      descendants(trace, served).find((span) => span.service === "router" && isDbSpan(span, "postgresql")),
    );
    expect(statement.name).toMatch(backends === undefined ? /^pglite\./ : /^pg/);
    if (backends !== undefined) {
      await waitFor(() => descendants(trace, served).find((span) => isDbSpan(span, "redis")));
    }
    // Each process's one log line for the RPC it served carries the ids of the trace it is part of.
    const routerLine = await waitFor(() =>
      logLines(routerProcess).find((line) => line.source === "rpc" && line.method === "CreatePayment"),
    );
    expect(routerLine.trace_id).toBe(trace);
    await oneSpan(
      (span) => span.service === "router" && span.traceId === trace && span.spanId === routerLine.span_id,
      "the router span its log line names",
    );
    const adapterLine = await waitFor(() =>
      logLines(adapterProcess).find((line) => line.source === "rpc" && line.method === "CreatePayment"),
    );
    expect(adapterLine.trace_id).toBe(trace);
    await oneSpan(
      (span) =>
        span.service === "adapter-qris" && span.traceId === trace && span.spanId === adapterLine.span_id,
      "the adapter span its log line names",
    );

    // The customer pays; the simulator's notification reaches the router's webhook, whose apply
    // span links to its ingress and to the trace that created the payment.
    await simulatorControl(simulatorUrl, "/sim/pay", { partnerReferenceNo: payment.id });
    const ingress = await oneSpan(
      (span) =>
        span.service === "router" &&
        span.kind === SPAN_KIND.server &&
        span.attributes["url.path"] === "/webhooks/qris",
    );
    const applied = await oneSpan(
      (span) => span.name === "paymesh.webhook.apply" && span.attributes["paymesh.payment_id"] === payment.id,
    );
    expect(applied.service).toBe("router");
    expect(applied.links).toEqual(
      expect.arrayContaining([
        { traceId: ingress.traceId, spanId: ingress.spanId },
        { traceId: trace, spanId: served.spanId },
      ]),
    );
    const { payment: settled } = await client.call<{ payment: PlainPayment }>("GetPayment", {
      paymentId: payment.id,
    });
    expect(settled.status).toBe("PAYMENT_STATUS_SUCCEEDED");
  });

  it("checks an unknown outcome in a trace of its own, linked to the payment's", async () => {
    await simulatorControl(simulatorUrl, "/sim/config", { latencyMs: 1_500 });
    let paymentId = "";
    try {
      const error = await client.call("CreatePayment", qrisRequest(`t-${run}-2`), { deadlineMs: 400 }).then(
        () => undefined,
        (failure: unknown) => failure as ServiceError,
      );
      expect(error?.details).toMatch(/deadline/i);
      const served = await oneSpan(
        (span) =>
          span.service === "router" &&
          span.name === "grpc.payments.v1.PaymentService/CreatePayment" &&
          span.attributes["rpc.grpc.status_code"] === 4,
      );
      const check = await oneSpan(
        (span) =>
          span.name === "paymesh.resolver.check" &&
          span.links.some((link) => link.traceId === served.traceId && link.spanId === served.spanId),
      );
      paymentId = String(check.attributes["paymesh.payment_id"]);
      expect(paymentId).toMatch(/^pay_/);
      expect(check.parentSpanId).toBe("");
      expect(check.traceId).not.toBe(served.traceId);
      // The check's own call to the adapter is in the check's trace.
      await oneSpan(
        (span) =>
          span.traceId === check.traceId &&
          span.service === "adapter-qris" &&
          span.name === "grpc.payments.adapter.v1.ProviderAdapter/GetPaymentStatus",
      );
    } finally {
      await simulatorControl(simulatorUrl, "/sim/config", { latencyMs: 0 });
    }
  });
});
