// What the router's backends promise without any server installed: PGlite keeps payments across a
// restart, and an unreachable Redis fails requests closed instead of skipping the check; and, with
// AMQP_URL, that the router process really runs its webhook queue and event exchange on RabbitMQ.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceError } from "@grpc/grpc-js";
import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import {
  amqpUrlForTests,
  deleteExchange,
  deleteWorkQueue,
  observeExchange,
  uniqueTestName,
} from "@paymesh/queue/testing";
import { type StartedProcess, waitFor } from "@paymesh/test-kit";
import { connect } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoFromMetadata } from "../support/error-details.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";

let simulator: StartedProcess<{ url: string }>;
let adapter: StartedProcess<{ address: string }>;
const dataDir = mkdtempSync(join(tmpdir(), "paymesh-pglite-"));

beforeAll(async () => {
  simulator = await startService("services/adapter-qris/sandbox/main.ts", { PORT: "0" });
  adapter = await startService("services/adapter-qris/src/main.ts", {
    ADAPTER_PORT: "0",
    ...qrisAdapterEnv(simulator.ready.url),
  });
});
afterAll(async () => {
  await adapter?.stop();
  await simulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  // The key the router generated for its embedded database sits next to the data folder.
  rmSync(`${dataDir}.kek`, { force: true });
});

function startRouter(env: Record<string, string>, config: Record<string, unknown> = {}) {
  return startService<{ grpc: string; http: string; store: string; idempotency: string; queue: string }>(
    "services/router/src/main.ts",
    {
      DATABASE_URL: "",
      REDIS_URL: "",
      AMQP_URL: "",
      ...env,
      PAYMESH_ROUTER_CONFIG: JSON.stringify({
        grpcPort: 0,
        httpPort: 0,
        callers: { e2e: TEST_TOKEN },
        adapters: { qris: { address: adapter.ready.address } },
        routes: { qris: ["qris"] },
        ...config,
      }),
    },
  );
}

const request = (key: string) => ({
  idempotencyKey: key,
  amount: { currency: "IDR", minorUnits: "500000" },
  qris: {},
});

describe("router backends", () => {
  it("keeps payments in its PGlite data directory across a restart", async () => {
    const first = await startRouter({ PAYMESH_DATA_DIR: dataDir });
    expect(first.ready.store).toContain("pglite");
    const client = plainPaymentClient(first.ready.grpc, TEST_TOKEN);
    const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", request("restart-1"));
    client.close();
    await first.stop();

    const second = await startRouter({ PAYMESH_DATA_DIR: dataDir });
    const again = plainPaymentClient(second.ready.grpc, TEST_TOKEN);
    try {
      const { payment: found } = await again.call<{ payment: PlainPayment }>("GetPayment", {
        paymentId: payment.id,
      });
      expect(found).toMatchObject({ id: payment.id, status: "PAYMENT_STATUS_REQUIRES_ACTION" });
      // The same key after the restart is a replay, answered from the store: no second charge.
      const charges = (await simulatorControl<{ charges: number }>(simulator.ready.url, "/sim/stats"))
        .charges;
      const { payment: replayed } = await again.call<{ payment: PlainPayment }>(
        "CreatePayment",
        request("restart-1"),
      );
      expect(replayed.id).toBe(payment.id);
      expect((await simulatorControl<{ charges: number }>(simulator.ready.url, "/sim/stats")).charges).toBe(
        charges,
      );
    } finally {
      again.close();
      await second.stop();
    }
  });

  it("keeps the resolver's work across a router restart: a new router finishes an unknown outcome", async () => {
    const restartDir = mkdtempSync(join(tmpdir(), "paymesh-resolver-"));
    const resolver = {
      intervalMs: 200,
      initialDelayMs: 200,
      maxDelayMs: 500,
      notFoundConclusiveAfterMs: 60_000,
    };
    const charges = async () =>
      (await simulatorControl<{ charges: number }>(simulator.ready.url, "/sim/stats")).charges;
    const before = await charges();
    await simulatorControl(simulator.ready.url, "/sim/config", { latencyMs: 3_000 });
    const first = await startRouter({ PAYMESH_DATA_DIR: restartDir }, { resolver });
    let paymentId = "";
    try {
      const client = plainPaymentClient(first.ready.grpc, TEST_TOKEN);
      const error = await client
        .call("CreatePayment", request("restart-unknown-1"), { deadlineMs: 400 })
        .then(
          () => undefined,
          (failure: unknown) => failure as ServiceError,
        );
      expect(error?.code).toBe(4);
      const { payments } = await client.call<{ payments: PlainPayment[] }>("ListPayments", {
        unresolvedOnly: true,
      });
      paymentId = payments[0]?.id ?? "";
      client.close();
      // The router dies with the outcome still unknown; its resolver never got to ask.
      first.child.kill("SIGKILL");
      await first.stop();
    } finally {
      await simulatorControl(simulator.ready.url, "/sim/config", { latencyMs: 0 });
    }
    expect(paymentId).toMatch(/^pay_/);

    const second = await startRouter({ PAYMESH_DATA_DIR: restartDir }, { resolver });
    const client = plainPaymentClient(second.ready.grpc, TEST_TOKEN);
    try {
      // No client retry: the new router's resolver finds the work in the store and asks the bank.
      const resolved = await waitFor(
        async () => {
          const { payment } = await client.call<{ payment: PlainPayment }>("GetPayment", { paymentId });
          return payment.outcomeUnknown ? undefined : payment;
        },
        15_000,
        "the new router's resolver to finish the payment",
      );
      expect(resolved.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
      expect(await charges()).toBe(before + 1);
      await waitFor(
        async () => (second.stderr().includes(`"paymentId":"${paymentId}"`) ? true : undefined),
        5_000,
        "the resolver's log line",
      );
      expect(second.stderr()).toContain('"source":"resolver"');
    } finally {
      client.close();
      await second.stop();
      rmSync(restartDir, { recursive: true, force: true });
      rmSync(`${restartDir}.kek`, { force: true });
    }
  });

  it("fails closed with UNAVAILABLE when Redis cannot be reached, and writes nothing", async () => {
    const router = await startRouter({ REDIS_URL: "redis://127.0.0.1:1" });
    const client = plainPaymentClient(router.ready.grpc, TEST_TOKEN);
    try {
      const charges = (await simulatorControl<{ charges: number }>(simulator.ready.url, "/sim/stats"))
        .charges;
      const started = Date.now();
      const error = await client.call("CreatePayment", request("redis-down-1")).then(
        () => undefined,
        (failure: unknown) => failure as ServiceError,
      );
      expect(error?.code).toBe(14); // UNAVAILABLE
      expect(errorInfoFromMetadata(error?.metadata)?.reason).toBe("STORE_UNAVAILABLE");
      expect(Date.now() - started).toBeLessThan(5_000);
      const { payments } = await client.call<{ payments: PlainPayment[] }>("ListPayments", {});
      expect(payments).toEqual([]);
      expect((await simulatorControl<{ charges: number }>(simulator.ready.url, "/sim/stats")).charges).toBe(
        charges,
      );
    } finally {
      client.close();
      await router.stop();
    }
  });
});

const amqpUrl = amqpUrlForTests();

describe.runIf(amqpUrl !== undefined)("router backends on RabbitMQ", () => {
  it("applies webhooks from the broker's work queue and publishes every change to its exchange", async () => {
    const amqp = amqpUrl ?? "";
    const prefix = `${uniqueTestName("router")}.`;
    const exchange = `${prefix}payments.events`;
    const observer = await observeExchange(amqp, exchange, "qris.#");
    const connection = await connect(amqp);
    const channel = await connection.createChannel();
    const router = await startRouter({ AMQP_URL: amqp, PAYMESH_AMQP_PREFIX: prefix });
    const client = plainPaymentClient(router.ready.grpc, TEST_TOKEN);
    try {
      expect(router.ready.queue).toBe("rabbitmq");
      // The router declared its work queue on the broker, under its prefix.
      expect((await channel.checkQueue(`${prefix}paymesh.webhooks`)).queue).toBe(`${prefix}paymesh.webhooks`);
      const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", request("amqp-1"));
      await simulatorControl(simulator.ready.url, "/sim/config", {
        notifyUrl: `${router.ready.http}/webhooks/qris`,
      });
      await simulatorControl(simulator.ready.url, "/sim/pay", { partnerReferenceNo: payment.id });
      await waitFor(async () => {
        const { payment: current } = await client.call<{ payment: PlainPayment }>("GetPayment", {
          paymentId: payment.id,
        });
        return current.status === "PAYMENT_STATUS_SUCCEEDED" ? current : undefined;
      });
      const published = await waitFor(
        async () => {
          const mine = [...observer.received]
            .filter(([id]) => id.startsWith(`${payment.id}/`))
            .map(([id, event]) => [id, event.routingKey] as const);
          return mine.length >= 3 ? mine : undefined;
        },
        10_000,
        "three events on the exchange",
      );
      expect(published.map(([, key]) => key)).toEqual([
        "qris.pending",
        "qris.requires_action",
        "qris.succeeded",
      ]);
    } finally {
      await simulatorControl(simulator.ready.url, "/sim/config", { notifyUrl: null });
      client.close();
      await router.stop();
      await connection.close();
      await observer.close();
      await deleteWorkQueue(amqp, `${prefix}paymesh.webhooks`, [1_000, 5_000, 30_000, 120_000]);
      await deleteExchange(amqp, exchange);
    }
  });
});
