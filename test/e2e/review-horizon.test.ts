// Past the resolver's horizon an unresolved payment is raised for manual review — never guessed.
import type { ServiceError } from "@grpc/grpc-js";
import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import { type StartedProcess, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";

let simulator: StartedProcess<{ url: string }>;
let adapter: StartedProcess<{ address: string }>;
let router: StartedProcess<{ grpc: string }>;
let client: ReturnType<typeof plainPaymentClient>;

beforeAll(async () => {
  simulator = await startService("services/adapter-qris/sandbox/main.ts", { PORT: "0" });
  adapter = await startService("services/adapter-qris/src/main.ts", {
    ADAPTER_PORT: "0",
    ...qrisAdapterEnv(simulator.ready.url),
    SNAP_HTTP_MAX_ATTEMPTS: "1",
  });
  router = await startService("services/router/src/main.ts", {
    DATABASE_URL: "",
    REDIS_URL: "",
    AMQP_URL: "",
    PAYMESH_DATA_DIR: "",
    PAYMESH_ROUTER_CONFIG: JSON.stringify({
      grpcPort: 0,
      httpPort: 0,
      callers: { e2e: TEST_TOKEN },
      adapters: { qris: { address: adapter.ready.address } },
      routes: { qris: ["qris"] },
      policy: { retry: { maxAttempts: 1 } },
      resolver: {
        intervalMs: 100,
        initialDelayMs: 100,
        maxDelayMs: 300,
        horizonMs: 2_000,
        notFoundConclusiveAfterMs: 600_000,
      },
    }),
  });
  client = plainPaymentClient(router.ready.grpc, TEST_TOKEN);
});
afterAll(async () => {
  client?.close();
  await router?.stop();
  await adapter?.stop();
  await simulator?.stop();
});

describe("the status resolver's horizon", () => {
  it("raises a payment the provider never answers about for review, and leaves it non-terminal", async () => {
    // The bank is slow to answer the creation and then fails every status query with a 5xx.
    await simulatorControl(simulator.ready.url, "/sim/config", { latencyMs: 1_500 });
    const error = await client
      .call(
        "CreatePayment",
        { idempotencyKey: "horizon-1", amount: { currency: "IDR", minorUnits: "100000" }, qris: {} },
        { deadlineMs: 300 },
      )
      .then(
        () => undefined,
        (failure: unknown) => failure as ServiceError,
      );
    expect(error?.code).toBe(4);
    await simulatorControl(simulator.ready.url, "/sim/config", {
      latencyMs: 0,
      failNext: { count: 10_000, responseCode: "5005100" },
    });
    // The router goes on with the payment after the caller's deadline: on a loaded machine its row
    // may be written a moment after the caller gave up.
    const id = await waitFor(
      async () => {
        const { payments } = await client.call<{ payments: PlainPayment[] }>("ListPayments", {
          unresolvedOnly: true,
        });
        return payments[0]?.id;
      },
      10_000,
      "the payment whose outcome is unknown, listed as unresolved",
    );
    const reviewed = await waitFor(
      async () => {
        const { payment } = await client.call<{
          payment: PlainPayment & { needsReview: boolean; reviewReason: string };
        }>("GetPayment", { paymentId: id });
        return payment.needsReview ? payment : undefined;
      },
      10_000,
      "the payment raised for review",
    );
    expect(reviewed.status).toBe("PAYMENT_STATUS_PENDING"); // never guessed terminal
    expect(reviewed.outcomeUnknown).toBe(true);
    expect(reviewed.reviewReason).toContain("no answer from qris");
    const { payments: stuck } = await client.call<{ payments: PlainPayment[] }>("ListPayments", {
      unresolvedOnly: true,
    });
    expect(stuck.map((payment) => payment.id)).toContain(id);
    await simulatorControl(simulator.ready.url, "/sim/config", { failNext: null });
  });
});
