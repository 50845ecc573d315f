import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { createGrpcClient, GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { createRedisIdempotencyStore } from "@paymesh/idempotency";
import { ErrorReason, PaymentService, PaymentStatus } from "@paymesh/proto";
import { promtoolProblems, sampleValue, seriesOf } from "@paymesh/telemetry/testing";
import { startTcpProxy, waitFor } from "@paymesh/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningRouter, startRouter } from "./router.ts";
import { resolveRouterConfig } from "./router-config.ts";
import { type FakeAdapter, startFakeAdapter } from "./testing/fake-adapter.ts";
import { CALLER, CALLER_TOKEN, qrisRequest } from "./testing/router-flows.ts";

// The router's /metrics, /healthz and /readyz after real calls: a router on 127.0.0.1:0 over a fake
// adapter speaking gRPC, scraped over HTTP as Prometheus would.

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((closable) => closable.close()));
});

async function routerWith(adapter: FakeAdapter, backends: Parameters<typeof startRouter>[1] = {}) {
  running.push(adapter);
  const router = await startRouter(
    resolveRouterConfig({
      grpcPort: 0,
      httpPort: 0,
      callers: { [CALLER]: CALLER_TOKEN },
      adapters: { qris: { address: adapter.address } },
      routes: { qris: ["qris"] },
    }),
    { log: () => {}, ...backends },
  );
  running.push(router);
  const client = createGrpcClient(PaymentService, router.grpcAddress, {
    metadata: { authorization: `Bearer ${CALLER_TOKEN}` },
  });
  running.push({ close: async () => client.close() });
  return { router, client };
}

const scrape = async (router: RunningRouter): Promise<string> => {
  const response = await fetch(`${router.httpUrl}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

/** A fake QRIS adapter whose provider settles every payment at once. */
const settlingAdapter = () =>
  startFakeAdapter({
    createPayment: async (request) => ({
      payment: { status: PaymentStatus.SUCCEEDED, providerReference: `ref-${request.paymentId}` },
    }),
  });

describe("router /metrics", () => {
  it("counts a CreatePayment by method and code, the payment created and finished, and its adapter call", async () => {
    const { router, client } = await routerWith(await settlingAdapter());
    const ok = { method: "CreatePayment", code: "OK", transport: "grpc" };
    const before = sampleValue(await scrape(router), "paymesh_rpc_duration_seconds_count", ok);

    await client.createPayment(qrisRequest("metrics-1"));
    await client.createPayment(qrisRequest("metrics-1")); // a replay: no second payment

    const text = await scrape(router);
    expect(sampleValue(text, "paymesh_rpc_duration_seconds_count", ok)).toBe(before + 2);
    expect(sampleValue(text, "paymesh_payments_created_total", { adapter: "qris", method: "qris" })).toBe(1);
    expect(
      sampleValue(text, "paymesh_payments_finished_total", {
        adapter: "qris",
        method: "qris",
        status: "succeeded",
      }),
    ).toBe(1);
    expect(sampleValue(text, "paymesh_idempotency_outcomes_total", { outcome: "new" })).toBe(1);
    expect(sampleValue(text, "paymesh_idempotency_outcomes_total", { outcome: "replay" })).toBe(1);
    expect(
      sampleValue(text, "paymesh_adapter_call_duration_seconds_count", {
        adapter: "qris",
        operation: "CreatePayment",
        code: "OK",
      }),
    ).toBe(1);
    expect(sampleValue(text, "paymesh_adapter_breaker_state", { adapter: "qris", state: "closed" })).toBe(1);
    expect(sampleValue(text, "paymesh_adapter_breaker_state", { adapter: "qris", state: "open" })).toBe(0);
    expect(sampleValue(text, "paymesh_adapter_bulkhead_queued", { adapter: "qris" })).toBe(0);
    expect(sampleValue(text, "paymesh_work_queue_depth", { queue: "paymesh.webhooks" })).toBe(0);
    expect(seriesOf(text, "paymesh_resolver_backlog")).toEqual([{}]);
    expect(sampleValue(text, "paymesh_outbox_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(promtoolProblems(text)).toBe("");
  });

  it("counts a request the adapter refuses as invalid as no payment: neither created nor finished", async () => {
    const refusing = await startFakeAdapter({
      createPayment: async () => {
        throw new PaymeshError(ErrorReason.AMOUNT_OUT_OF_RANGE, "amount above the provider's limit", {
          code: GrpcCode.INVALID_ARGUMENT,
          metadata: { field: "amount.minor_units" },
        });
      },
    });
    const { router, client } = await routerWith(refusing);
    await expect(client.createPayment(qrisRequest("metrics-refused"))).rejects.toMatchObject({
      code: GrpcCode.INVALID_ARGUMENT,
    });
    const text = await scrape(router);
    expect(refusing.received.createPayment).toHaveLength(1);
    expect(sampleValue(text, "paymesh_payments_created_total", { adapter: "qris", method: "qris" })).toBe(0);
    expect(seriesOf(text, "paymesh_payments_finished_total")).toEqual([]);
  });

  it("counts Connect calls under transport connect, with the error code they were answered", async () => {
    const { router } = await routerWith(await settlingAdapter());
    const response = await fetch(`${router.httpUrl}/${PaymentService.typeName}/GetPayment`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_TOKEN}` },
      body: JSON.stringify({ paymentId: `pay_${"0".repeat(26)}` }),
    });
    expect(response.status).toBe(404);
    const undecodable = await fetch(`${router.httpUrl}/${PaymentService.typeName}/GetPayment`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CALLER_TOKEN}` },
      body: "{not json",
    });
    expect(undecodable.status).toBe(400);
    const text = await scrape(router);
    const connect = { method: "GetPayment", transport: "connect" };
    expect(sampleValue(text, "paymesh_rpc_duration_seconds_count", { ...connect, code: "NOT_FOUND" })).toBe(
      1,
    );
    expect(
      sampleValue(text, "paymesh_rpc_duration_seconds_count", { ...connect, code: "INVALID_ARGUMENT" }),
    ).toBe(1);
  });

  it("counts a webhook to an unconfigured name under adapter unknown, adding no series of its own", async () => {
    const { router } = await routerWith(await settlingAdapter());
    const post = (name: string) =>
      fetch(`${router.httpUrl}/webhooks/${name}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
    expect((await post("no-such-adapter")).status).toBe(404);
    expect((await post("another-made-up-name")).status).toBe(404);
    const text = await scrape(router);
    expect(sampleValue(text, "paymesh_webhooks_received_total", { adapter: "unknown" })).toBe(2);
    expect(sampleValue(text, "paymesh_webhooks_refused_total", { adapter: "unknown", status: "404" })).toBe(
      2,
    );
    const adapters = new Set(
      [
        ...seriesOf(text, "paymesh_webhooks_received_total"),
        ...seriesOf(text, "paymesh_webhooks_refused_total"),
      ].map((labels) => labels.adapter),
    );
    expect([...adapters]).toEqual(["unknown"]);
  });
});

// As every Redis suite here: CI (PAYMESH_REQUIRE_BACKENDS=1) fails without REDIS_URL rather than skip.
const redisUrl = process.env.REDIS_URL || undefined;
if (redisUrl === undefined && process.env.PAYMESH_REQUIRE_BACKENDS === "1")
  throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but REDIS_URL is not set: the readiness test cannot run");
describe.runIf(redisUrl !== undefined)("router /healthz and /readyz", () => {
  it("is ready while Redis answers, 503 naming the idempotency store while it is cut off, ready again after", async () => {
    const target = new URL(redisUrl ?? "");
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    running.push(proxy);
    const idempotency = createRedisIdempotencyStore({ url: `redis://127.0.0.1:${proxy.port}` });
    const { router } = await routerWith(await settlingAdapter(), { idempotency });
    const probe = async (path: string) => {
      const response = await fetch(`${router.httpUrl}${path}`);
      return { status: response.status, body: await response.json() };
    };

    expect(await probe("/healthz")).toEqual({ status: 200, body: { status: "alive" } });
    const health = new Client(router.grpcAddress, credentials.createInsecure());
    running.push({ close: async () => health.close() });
    // grpc.health.v1 Check for the overall status: the answer's field 1 is 1 SERVING, 2 NOT_SERVING.
    const overall = () =>
      new Promise<number | undefined>((resolve, reject) =>
        health.makeUnaryRequest(
          "/grpc.health.v1.Health/Check",
          (bytes: Uint8Array) => Buffer.from(bytes),
          (bytes: Buffer) => bytes,
          new Uint8Array(),
          new Metadata(),
          (error, answer) => (error ? reject(error) : resolve(answer?.[1])),
        ),
      );
    const ready = async () => ((await probe("/readyz")).status === 200 ? true : undefined);
    await waitFor(ready);

    proxy.cut();
    expect(await probe("/readyz")).toEqual({
      status: 503,
      body: { status: "not ready", down: ["idempotency"] },
    });
    expect(await overall()).toBe(2);
    expect((await probe("/healthz")).status).toBe(200);

    proxy.restore();
    await waitFor(ready);
    expect(await overall()).toBe(1);
  });
});
