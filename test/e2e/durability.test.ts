// The guarantee Paymesh sells, proved with real Redis and Postgres and real processes: no payment
// is charged twice and none is lost, with two routers, a Redis flush, and a router that dies
// after the provider acted.
import { randomBytes } from "node:crypto";
import type { ServiceError } from "@grpc/grpc-js";
import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import { type StartedProcess, startTcpProxy, type TcpProxy, waitFor } from "@paymesh/test-kit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, dropSchema, realBackends, TEST_KEK } from "../support/backends.ts";
import { errorInfoFromMetadata } from "../support/error-details.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";

const backends = realBackends();
const run = randomBytes(4).toString("hex");
const schema = `paymesh_e2e_${run}`;
const keyPrefix = `paymesh:e2e:${run}:`;

interface RouterProcess {
  process: StartedProcess<{ grpc: string; http: string }>;
  client: ReturnType<typeof plainPaymentClient>;
}

describe.runIf(backends !== undefined)("durable payments with real Redis and Postgres", () => {
  const processes: StartedProcess<unknown>[] = [];
  let simulatorUrl = "";
  let proxy: TcpProxy;
  let routerA: RouterProcess;
  let routerB: RouterProcess;
  let db: pg.Client;

  async function startRouter(adapterAddress: string): Promise<RouterProcess> {
    const process = await startService<{ grpc: string; http: string }>("services/router/src/main.ts", {
      DATABASE_URL: backends?.databaseUrl ?? "",
      PAYMESH_KEK: TEST_KEK,
      REDIS_URL: backends?.redisUrl ?? "",
      // In-process webhook queues: this test is about the store and Redis, and a shared broker
      // queue would hand one router's webhooks to another test's router.
      AMQP_URL: "",
      PAYMESH_DB_SCHEMA: schema,
      PAYMESH_IDEMPOTENCY_PREFIX: keyPrefix,
      PAYMESH_ROUTER_CONFIG: JSON.stringify({
        grpcPort: 0,
        httpPort: 0,
        callers: { e2e: TEST_TOKEN },
        adapters: { qris: { address: adapterAddress } },
        routes: { qris: ["qris"] },
        idempotencyLeaseMs: 2_000,
      }),
    });
    processes.push(process);
    return { process, client: plainPaymentClient(process.ready.grpc, TEST_TOKEN) };
  }

  beforeAll(async () => {
    const simulator = await startService<{ url: string }>("services/adapter-qris/sandbox/main.ts", {
      PORT: "0",
    });
    processes.push(simulator);
    simulatorUrl = simulator.ready.url;
    const adapter = await startService<{ address: string }>("services/adapter-qris/src/main.ts", {
      ADAPTER_PORT: "0",
      ...qrisAdapterEnv(simulatorUrl),
    });
    processes.push(adapter);
    proxy = await startTcpProxy(adapter.ready.address);
    routerA = await startRouter(proxy.address); // reaches the adapter through the proxy
    routerB = await startRouter(adapter.ready.address);
    db = new pg.Client({ connectionString: backends?.databaseUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    routerA?.client.close();
    routerB?.client.close();
    await Promise.all(processes.reverse().map((process) => process.stop()));
    await proxy?.close();
    await db?.end();
    if (backends !== undefined) {
      await dropSchema(backends.databaseUrl, schema);
      await flushOurKeys();
    }
  });

  const flushOurKeys = () => deleteKeys(backends?.redisUrl ?? "", keyPrefix);

  const charges = async () =>
    (await simulatorControl<{ charges: number }>(simulatorUrl, "/sim/stats")).charges;
  const paymentsFor = async (keys: string[]) =>
    Number(
      (await db.query(`SELECT count(*) AS n FROM ${schema}.payments WHERE idempotency_key = ANY($1)`, [keys]))
        .rows[0].n,
    );
  const request = (key: string) => ({
    idempotencyKey: key,
    amount: { currency: "IDR", minorUnits: "1000000" },
    qris: {},
  });

  type Outcome = { key: string; payment?: PlainPayment; inUse?: boolean };
  async function create(router: RouterProcess, key: string): Promise<Outcome> {
    try {
      const { payment } = await router.client.call<{ payment: PlainPayment }>("CreatePayment", request(key));
      return { key, payment };
    } catch (error) {
      const failure = error as ServiceError;
      if (
        failure.code === 10 &&
        errorInfoFromMetadata(failure.metadata)?.reason === "IDEMPOTENCY_KEY_IN_USE"
      ) {
        return { key, inUse: true };
      }
      throw error;
    }
  }

  it("two routers, 200 concurrent calls over 20 keys: 20 payments, 20 charges", async () => {
    const before = await charges();
    const keys = Array.from({ length: 20 }, (_, i) => `a-${run}-${i}`);
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => create(i % 2 === 0 ? routerA : routerB, keys[i % 20] ?? "")),
    );
    for (const outcome of outcomes)
      expect(outcome.payment !== undefined || outcome.inUse === true).toBe(true);
    // Every caller that got a payment for a key got the same one.
    for (const key of keys) {
      const ids = new Set(outcomes.filter((o) => o.key === key && o.payment).map((o) => o.payment?.id));
      expect(ids.size, key).toBeLessThanOrEqual(1);
    }
    expect(await paymentsFor(keys)).toBe(20);
    expect(await charges()).toBe(before + 20);
  });

  it("Redis flushed mid-run, every key retried: still one charge per key", async () => {
    const before = await charges();
    const keys = Array.from({ length: 20 }, (_, i) => `b-${run}-${i}`);
    const first = Promise.all(
      Array.from({ length: 100 }, (_, i) => create(i % 2 === 0 ? routerA : routerB, keys[i % 20] ?? "")),
    );
    await waitFor(async () => ((await charges()) > before ? true : undefined), 10_000, "the first charges");
    await flushOurKeys(); // Redis forgets every key of this run while calls are in flight
    await first;
    await flushOurKeys();
    const retried = await Promise.all(keys.map((key, i) => create(i % 2 === 0 ? routerB : routerA, key)));
    expect(retried.every((outcome) => outcome.payment !== undefined)).toBe(true);
    expect(await paymentsFor(keys)).toBe(20);
    expect(await charges()).toBe(before + 20);
  });

  it("a router killed after the provider acted: the retry on the other router makes no second charge", async () => {
    const before = await charges();
    const key = `c-${run}`;
    proxy.stall("responses"); // router A will never hear the adapter's answer
    const pending = create(routerA, key).catch((error: unknown) => error);
    await waitFor(
      async () => ((await charges()) === before + 1 ? true : undefined),
      10_000,
      "the provider's charge",
    );
    routerA.process.child.kill("SIGKILL");
    await pending;

    // Router A's claim on the key lapses after its 2 s lease; then router B finishes the payment.
    const outcome = await waitFor(
      async () => {
        const attempt = await create(routerB, key);
        return attempt.payment;
      },
      15_000,
      "router B to take over the key",
    );
    expect(outcome.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
    expect(outcome.customerAction?.qris?.qrString).toMatch(/^000201010212/);
    expect(await paymentsFor([key])).toBe(1);
    expect(await charges()).toBe(before + 1);
    const journal = await db.query(
      `SELECT to_status FROM ${schema}.payment_journal WHERE payment_id = $1 ORDER BY at`,
      [outcome.id],
    );
    // Created PENDING by router A, moved once to REQUIRES_ACTION by router B: nothing else.
    expect(journal.rows.map((row: { to_status: string }) => row.to_status)).toEqual([
      "PENDING",
      "REQUIRES_ACTION",
    ]);
  });
});
