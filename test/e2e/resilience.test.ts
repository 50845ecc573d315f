// Faults between the router, its adapters and the bank, with real processes on free ports: a bank
// that answers after the deadline, 5xx answers, reset connections, a bank that goes away and comes
// back, and an adapter that dies or stalls while another could take its payments. Each fault gets
// its own simulator, adapter(s) and router, so the resolver's background status queries of one
// test never eat the faults injected for another. Outcomes are asserted where they are true: the
// simulator's charge and request counters, the payment as the router reports it, ErrorInfo on the
// wire, and the breaker in /admin/adapters and grpc.health.v1.
import { once } from "node:events";
import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { type StartedProcess, startTcpProxy, type TcpProxy, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoFromMetadata, rejection } from "../support/error-details.ts";
import {
  type AdapterProcess,
  portOf,
  type RouterProcess,
  type RouterProcessConfig,
  type SimulatorProcess,
  startQrisAdapter,
  startQrisSimulator,
  startRouterProcess,
} from "../support/mesh-processes.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl } from "../support/qris-stack.ts";
import { adminAdapters, breakerState, healthStatus } from "../support/router-observers.ts";

/** The resolver asks soon and often, so an unknown outcome is chased within a test's time. */
/**
 * "Not found" becomes conclusive after 6 s: longer than the slowest injected bank (3 s), so a
 * slow bank's late QR is found rather than written off.
 */
const FAST_RESOLVER = {
  intervalMs: 200,
  initialDelayMs: 200,
  maxDelayMs: 1_000,
  horizonMs: 120_000,
  notFoundConclusiveAfterMs: 6_000,
};
/** Short backoffs: three attempts per call, as by default, without the default's two-second waits. */
const FAST_RETRY = { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 };
/**
 * A breaker judged over 20 calls in 5 s (threshold 0.5), as a production one is judged over enough
 * traffic: a fault rate well under half must be absorbed by retries and the resolver, not turned
 * into an outage by a breaker that opens on two unlucky calls.
 */
const STEADY_BREAKER = { threshold: 0.5, durationMs: 5_000, minimumRps: 4, halfOpenAfterMs: 1_000 };
/** Opens on two failures in 2 s, where the tests below want it to open. */
const HAIR_TRIGGER_BREAKER = { threshold: 0.5, durationMs: 2_000, minimumRps: 1 };

const PENDING = "PAYMENT_STATUS_PENDING";
const REQUIRES_ACTION = "PAYMENT_STATUS_REQUIRES_ACTION";
const FAILED = "PAYMENT_STATUS_FAILED";

/** A payment with the resolution fields the plain client's type leaves out. */
interface Payment extends PlainPayment {
  merchantReference: string;
  needsReview: boolean;
  reviewReason: string;
  failure?: { reason: string; providerCode: string; message: string };
}

type Client = ReturnType<typeof plainPaymentClient>;

interface SimulatorStats {
  charges: number;
  requests: Record<string, number>;
}

/** Every process a test started, stopped at the end whatever happened (killed ones are skipped). */
function processGroup() {
  const started: StartedProcess<unknown>[] = [];
  return {
    async add<T extends StartedProcess<unknown>>(starting: Promise<T>): Promise<T> {
      const process = await starting;
      started.push(process);
      return process;
    },
    /** Newest first, one at a time, so the router stops before the adapters it calls. */
    async stop(): Promise<void> {
      for (const process of [...started].reverse()) await process.stop();
    },
  };
}

/** SIGKILL: the process gets no chance to drain or say goodbye, as in a crash. */
async function kill(process: StartedProcess<unknown>): Promise<void> {
  const { child } = process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

/** One simulator, one QRIS adapter named "qris", one router in front. */
interface SingleAdapterMesh {
  simulator: SimulatorProcess;
  adapter: AdapterProcess;
  router: RouterProcess;
  client: Client;
  processes: ReturnType<typeof processGroup>;
}

async function startSingleAdapterMesh(
  token: string,
  config: Pick<RouterProcessConfig, "policy" | "resolver">,
): Promise<SingleAdapterMesh> {
  const processes = processGroup();
  try {
    const simulator = await processes.add(startQrisSimulator());
    const adapter = await processes.add(startQrisAdapter(simulator.ready.url));
    const router = await processes.add(
      startRouterProcess({
        callers: { resilience: token },
        adapters: { qris: { address: adapter.ready.address } },
        routes: { qris: ["qris"] },
        ...config,
      }),
    );
    return { simulator, adapter, router, client: plainPaymentClient(router.ready.grpc, token), processes };
  } catch (error) {
    await processes.stop();
    throw error;
  }
}

/**
 * One QRIS mesh per describe block with the steady breaker and fast retries and resolver: started
 * before its tests, stopped after. Returns the running mesh for use inside a test.
 */
function useSteadyMesh(token: string): () => SingleAdapterMesh {
  let mesh: SingleAdapterMesh | undefined;
  beforeAll(async () => {
    mesh = await startSingleAdapterMesh(token, {
      policy: { retry: FAST_RETRY, breaker: STEADY_BREAKER },
      resolver: { ...FAST_RESOLVER, pollAcceptedAfterMs: 60_000 },
    });
  });
  afterAll(async () => {
    mesh?.client.close();
    await mesh?.processes.stop();
  });
  return () => {
    if (mesh === undefined) throw new Error("the mesh did not start");
    return mesh;
  };
}

const qrisRequest = (key: string, minorUnits = "1500000") => ({
  idempotencyKey: key,
  merchantReference: key,
  amount: { currency: "IDR", minorUnits },
  qris: {},
});

async function createPayment(
  client: Client,
  key: string,
  options: { minorUnits?: string; deadlineMs?: number } = {},
) {
  const { payment } = await client.call<{ payment: Payment }>(
    "CreatePayment",
    qrisRequest(key, options.minorUnits),
    options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs },
  );
  return payment;
}

async function getPayment(client: Client, paymentId: string): Promise<Payment> {
  return (await client.call<{ payment: Payment }>("GetPayment", { paymentId })).payment;
}

/** Every payment of the client's caller, through every page. */
async function listPayments(client: Client, filter: { unresolvedOnly?: boolean } = {}): Promise<Payment[]> {
  const payments: Payment[] = [];
  let pageToken = "";
  do {
    const page = await client.call<{ payments: Payment[]; nextPageToken: string }>("ListPayments", {
      pageSize: 100,
      pageToken,
      ...filter,
    });
    payments.push(...page.payments);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return payments;
}

/** Settled as far as the router can know: not waiting on an answer, not PENDING. */
const settled = (payment: Payment): boolean => !payment.outcomeUnknown && payment.status !== PENDING;

const stats = (simulatorUrl: string) => simulatorControl<SimulatorStats>(simulatorUrl, "/sim/stats");
const generateRequests = (counters: SimulatorStats) => counters.requests["qr-mpm-generate"] ?? 0;
const configure = (simulatorUrl: string, config: Record<string, unknown>) =>
  simulatorControl(simulatorUrl, "/sim/config", config);

/**
 * Whether the bank holds a QR for this payment (the payment id is its partnerReferenceNo). Asks
 * for a signed notification without sending it: read-only, unlike /sim/pay.
 */
async function heldByBank(simulatorUrl: string, paymentId: string): Promise<boolean> {
  const response = await fetch(`${simulatorUrl}/sim/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ partnerReferenceNo: paymentId, path: "/webhooks/qris" }),
  });
  if (response.status === 404) return false;
  if (!response.ok) throw new Error(`/sim/webhook answered ${response.status}: ${await response.text()}`);
  return true;
}

describe("a bank that answers after the caller's deadline", () => {
  const token = "resilience-latency-token-000001";
  const steadyMesh = useSteadyMesh(token);

  it("flags the payment outcome_unknown, and the resolver alone finds the QR the bank made late", async () => {
    const mesh = steadyMesh();
    const { client } = mesh;
    const bank = mesh.simulator.ready.url;
    const before = await stats(bank);
    await configure(bank, { latencyMs: 3_000 });
    const key = "late-1";
    const error = await rejection(createPayment(client, key, { deadlineMs: 500 }));
    expect(error.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);

    // Never failed on a guess: PENDING, flagged, and on the operators' unresolved list.
    const flagged = await waitFor(
      async () =>
        (await listPayments(client, { unresolvedOnly: true })).find((p) => p.merchantReference === key),
      2_000,
      "the payment on the unresolved list",
    );
    expect(flagged).toMatchObject({
      status: PENDING,
      outcomeUnknown: true,
      adapter: "qris",
      needsReview: false,
    });

    // The bank recovers; the caller never retries. The generate request the router gave up on is
    // still being processed by the bank, which creates the QR about 3 s after it arrived.
    await configure(bank, { latencyMs: 0 });
    await waitFor(
      async () => ((await stats(bank)).charges === before.charges + 1 ? true : undefined),
      5_000,
      "the bank to create the QR it was asked for",
    );
    const resolved = await waitFor(
      async () => {
        const payment = await getPayment(client, flagged.id);
        return settled(payment) ? payment : undefined;
      },
      8_000,
      "the resolver to settle the payment",
    );
    const verdict = `the bank holds a QR for this payment; the router says: ${resolved.failure?.message}`;
    expect(resolved, verdict).toMatchObject({
      id: flagged.id,
      status: REQUIRES_ACTION,
      outcomeUnknown: false,
      needsReview: false,
      adapter: "qris",
    });
    expect(resolved.providerReference).not.toBe("");
    expect(resolved.customerAction?.qris?.qrString).toMatch(/^000201010212/);
    expect(await heldByBank(bank, flagged.id)).toBe(true);
    const after = await stats(bank);
    expect(after.charges).toBe(before.charges + 1);
    expect(generateRequests(after)).toBe(generateRequests(before) + 1); // no retry created anything
    expect((await listPayments(client, { unresolvedOnly: true })).map((p) => p.id)).not.toContain(flagged.id);
  });
});

describe("a bank answering 5xx to about a third of its requests", () => {
  const token = "resilience-errors-token-0000002";
  const steadyMesh = useSteadyMesh(token);

  it("settles all 30 payments to what the bank holds, one charge per QR, none lost", async () => {
    const mesh = steadyMesh();
    const { client } = mesh;
    const bank = mesh.simulator.ready.url;
    const before = await stats(bank);
    const codes = ["5004700", "5024700", "5034700"]; // general error, bad gateway, unavailable
    const magicTimeout = "50404"; // 504.04 IDR: the bank creates the QR, then answers 504
    const keys: string[] = [];
    const failures: Array<{ key: string; code: number; reason?: string; paymentId?: string }> = [];
    const pay = async (key: string, minorUnits = "1500000") => {
      keys.push(key);
      try {
        await createPayment(client, key, { minorUnits });
      } catch (error) {
        const { code, metadata } = error as ServiceError;
        const info = errorInfoFromMetadata(metadata);
        failures.push({
          key,
          code,
          ...(info === undefined ? {} : { reason: info.reason }),
          ...(info?.metadata.payment_id === undefined ? {} : { paymentId: info.metadata.payment_id }),
        });
      }
    };
    // failNext answers the bank's next n requests (generate or status query, whoever comes first)
    // with a 5xx and does nothing for them. Five waves of five concurrent payments with one or two
    // faults each, and a 504.04 payment in every other wave: retries and the adapter's follow-up
    // query should absorb these.
    for (const [wave, count] of [2, 1, 1, 2, 1].entries()) {
      await configure(bank, { failNext: { count, responseCode: codes[wave % codes.length] } });
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          pay(`errors-${wave}-${i}`, i === 0 && wave % 2 === 0 ? magicTimeout : undefined),
        ),
      );
    }
    // Then five payments alone. The first meets a run of eighteen 500s: each of the router's three
    // attempts sends a generate that fails and queries asking whether it was made that fail too (the
    // adapter's own three tries of each), so every attempt ends OUTCOME_UNKNOWN: the payment is
    // flagged and only the resolver can settle it. Two more meet a single 503 that a retry absorbs.
    // In all, roughly a third of the bank's requests fail. (A fault left over goes to whoever asks
    // next, the resolver included; every outcome below must hold anyway.)
    for (const [i, count] of [18, 1, 0, 1, 0].entries()) {
      if (count > 0)
        await configure(bank, { failNext: { count, responseCode: count > 1 ? "5004700" : "5034700" } });
      await pay(`errors-alone-${i}`);
    }
    expect(failures.length).toBeGreaterThan(0);

    const payments = await waitFor(
      async () => {
        const all = await listPayments(client);
        return all.length === keys.length && all.every(settled) ? all : undefined;
      },
      15_000,
      "every payment settled by the router or its resolver",
    );
    const heldIds = new Set<string>();
    for (const payment of payments) if (await heldByBank(bank, payment.id)) heldIds.add(payment.id);
    for (const payment of payments) {
      const context = `${payment.merchantReference} ${payment.status} ${payment.failure?.message ?? ""}`;
      expect([REQUIRES_ACTION, FAILED], context).toContain(payment.status);
      expect(payment.needsReview, context).toBe(false);
      // The router's answer is the bank's: a QR exists exactly for the payments it says need action.
      expect(payment.status === REQUIRES_ACTION, context).toBe(heldIds.has(payment.id));
      if (payment.amount.minorUnits === magicTimeout) expect(payment.status, context).toBe(REQUIRES_ACTION);
    }
    expect(new Set(payments.map((payment) => payment.merchantReference))).toEqual(new Set(keys));
    expect((await stats(bank)).charges - before.charges).toBe(heldIds.size);
    // Every failed call told the caller the outcome was unknown and which payment to look at.
    for (const failure of failures) {
      expect(failure, failure.key).toMatchObject({
        reason: "OUTCOME_UNKNOWN",
        paymentId: expect.any(String),
      });
    }
    expect(await listPayments(client, { unresolvedOnly: true })).toEqual([]);
    expect(await breakerState(mesh.router.ready.http, token, "qris")).toBe("closed");
  });
});

describe("a bank that resets connections", () => {
  const token = "resilience-resets-token-0000003";
  const steadyMesh = useSteadyMesh(token);

  it("retries resets into one QR per payment, and settles a payment whose every attempt was reset", async () => {
    const mesh = steadyMesh();
    const { client } = mesh;
    const bank = mesh.simulator.ready.url;
    const before = await stats(bank);

    // A reset after the bank read the request leaves the outcome unknown to the adapter; the
    // router may repeat a create only because the payment id is the bank's partnerReferenceNo.
    const resetsBefore = [1, 0, 2, 1, 0, 1];
    const retried: Payment[] = [];
    for (const [i, resets] of resetsBefore.entries()) {
      if (resets > 0) await configure(bank, { resetConnections: resets });
      retried.push(await createPayment(client, `reset-${i}`));
    }
    for (const payment of retried) {
      expect(payment).toMatchObject({ status: REQUIRES_ACTION, outcomeUnknown: false, adapter: "qris" });
      expect(await heldByBank(bank, payment.id)).toBe(true);
    }
    const afterRetries = await stats(bank);
    expect(afterRetries.charges).toBe(before.charges + retried.length);
    const resetCount = resetsBefore.reduce((sum, n) => sum + n, 0);
    expect(generateRequests(afterRetries)).toBe(generateRequests(before) + retried.length + resetCount);

    // Three resets use up the router's three attempts; the fourth meets the resolver's first
    // status query. The bank processed none of them, so the truth is "never created".
    await configure(bank, { resetConnections: 4 });
    const error = await rejection(createPayment(client, "reset-exhausted"));
    expect(error.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    const info = errorInfoFromMetadata(error.metadata);
    expect(info?.reason).toBe("OUTCOME_UNKNOWN");
    const paymentId = info?.metadata.payment_id ?? "";
    expect(paymentId).toMatch(/^pay_/);
    expect(await getPayment(client, paymentId)).toMatchObject({ status: PENDING, outcomeUnknown: true });
    const exhausted = await waitFor(
      async () => {
        const payment = await getPayment(client, paymentId);
        return settled(payment) ? payment : undefined;
      },
      8_000,
      "the resolver to settle the reset payment",
    );
    expect(exhausted).toMatchObject({ status: FAILED, outcomeUnknown: false, needsReview: false });
    expect(await heldByBank(bank, paymentId)).toBe(false);
    const after = await stats(bank);
    expect(after.charges).toBe(afterRetries.charges);
    expect(generateRequests(after)).toBe(generateRequests(afterRetries) + 3);
    expect(after.requests["qr-mpm-query"] ?? 0).toBeGreaterThanOrEqual(3); // reset, then twice "not found"

    const all = await listPayments(client);
    expect(all).toHaveLength(retried.length + 1);
    expect(all.every(settled)).toBe(true);
    expect(await listPayments(client, { unresolvedOnly: true })).toEqual([]);
  });
});

describe("a bank that goes down and comes back", () => {
  // The breaker counts what the router hears from the adapter. With the bank gone, the QRIS adapter
  // answers UNAVAILABLE (PROVIDER_UNAVAILABLE, reached_provider=false: a refused connection proves
  // nothing was sent), which countsAsAdapterFailure counts. So stopping the simulator is a fault
  // that really trips the breaker, and the adapter stays up to answer the health monitor's Describe:
  // NOT_SERVING then comes from the breaker alone.
  const token = "resilience-outage-token-0000004";
  const health = "paymesh.adapter.qris";
  let processes: ReturnType<typeof processGroup>;
  let simulator: SimulatorProcess;
  let router: RouterProcess;
  let client: Client;

  beforeAll(async () => {
    processes = processGroup();
    simulator = await processes.add(startQrisSimulator());
    const adapter = await processes.add(startQrisAdapter(simulator.ready.url));
    router = await processes.add(
      startRouterProcess({
        callers: { resilience: token },
        adapters: { qris: { address: adapter.ready.address } },
        routes: { qris: ["qris"] },
        // Open for 6 s: the adapter monitor probes every 5 s (not configurable) and the health
        // service says NOT_SERVING only when a probe finds the breaker open.
        policy: { retry: FAST_RETRY, breaker: { ...HAIR_TRIGGER_BREAKER, halfOpenAfterMs: 6_000 } },
        // Soon, so payments refused while the bank was down are settled within the test.
        resolver: { ...FAST_RESOLVER, pollAcceptedAfterMs: 1_500 },
      }),
    );
    client = plainPaymentClient(router.ready.grpc, token);
  });
  afterAll(async () => {
    client?.close();
    await processes?.stop();
  });

  it("opens the breaker, refuses at once while open, and closes after a probe once the bank is back", async () => {
    const admin = router.ready.http;
    await waitFor(
      async () => ((await healthStatus(router.ready.grpc, health)) === "SERVING" ? true : undefined),
      6_000,
      "the adapter SERVING",
    );
    expect(await breakerState(admin, token, "qris")).toBe("closed");
    const warm = await createPayment(client, "before-outage");
    expect(warm.status).toBe(REQUIRES_ACTION);

    const port = portOf(simulator.ready.url);
    await kill(simulator);
    const down = await rejection(createPayment(client, "during-outage"));
    expect(down.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(errorInfoFromMetadata(down.metadata)).toMatchObject({
      reason: "PROVIDER_UNAVAILABLE",
      metadata: { reached_provider: "false" },
    });
    // Two attempts of that one call failed within the window: the circuit is open.
    expect(await breakerState(admin, token, "qris")).toBe("open");

    // The bank comes back at the same address while the circuit is still open.
    simulator = await processes.add(startQrisSimulator(port));
    const bank = simulator.ready.url;
    const started = Date.now();
    const refused = await rejection(createPayment(client, "while-open"));
    const refusedAfterMs = Date.now() - started;
    expect(refused.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(errorInfoFromMetadata(refused.metadata)).toMatchObject({
      reason: "ADAPTER_UNAVAILABLE",
      metadata: { reached_provider: "false", adapter: "qris" },
    });
    expect(refused.details).toContain("circuit breaker is open");
    expect(refusedAfterMs).toBeLessThan(500);
    // The live bank received nothing: the call never left the router.
    expect(await stats(bank)).toMatchObject({ charges: 0 });
    expect(generateRequests(await stats(bank))).toBe(0);

    await waitFor(
      async () => ((await healthStatus(router.ready.grpc, health)) === "NOT_SERVING" ? true : undefined),
      6_000,
      "the health service to report the open breaker",
    );
    // The adapter itself still answers the monitor's Describe: NOT_SERVING is the breaker's doing.
    expect((await adminAdapters(admin, token)).find((entry) => entry.name === "qris")).toMatchObject({
      breaker: "open",
      reachable: true,
    });

    // After halfOpenAfterMs the next call is the probe; the bank answers it and the circuit closes.
    await waitFor(
      async () => ((await breakerState(admin, token, "qris")) === "half-open" ? true : undefined),
      // halfOpenAfterMs is 6 s; the rest is room for a loaded machine.
      15_000,
      "the breaker to go half-open",
    );
    const probe = await createPayment(client, "after-outage-1");
    expect(probe).toMatchObject({ status: REQUIRES_ACTION, outcomeUnknown: false });
    expect(await breakerState(admin, token, "qris")).toBe("closed");
    expect(await createPayment(client, "after-outage-2")).toMatchObject({ status: REQUIRES_ACTION });
    await waitFor(
      async () => ((await healthStatus(router.ready.grpc, health)) === "SERVING" ? true : undefined),
      6_000,
      "the adapter SERVING again",
    );
    expect((await stats(bank)).charges).toBe(2);

    // The two payments the outage stopped were never sent to any bank: the resolver ends them
    // FAILED rather than leaving them PENDING.
    const stopped = (await listPayments(client)).filter((payment) =>
      ["during-outage", "while-open"].includes(payment.merchantReference),
    );
    expect(stopped).toHaveLength(2);
    for (const payment of stopped) {
      const final = await waitFor(
        async () => {
          const current = await getPayment(client, payment.id);
          return settled(current) ? current : undefined;
        },
        5_000,
        `${payment.merchantReference} settled`,
      );
      expect(final).toMatchObject({ status: FAILED, outcomeUnknown: false, adapter: "" });
      expect(final.failure?.reason).toBe("ERROR_REASON_ADAPTER_UNAVAILABLE");
      expect(await heldByBank(bank, payment.id)).toBe(false);
    }
  });
});

describe("two QRIS adapters in priority order", () => {
  // Both adapters speak to one bank, and the payment id is the bank's partnerReferenceNo, so the
  // bank would answer a wrong failover with the QR it already has: no second charge would show.
  // The tests therefore also check where the payment went (Payment.adapter) and how many generate
  // requests the bank received.
  const token = "resilience-failover-token-00005";
  let processes: ReturnType<typeof processGroup>;
  let simulator: SimulatorProcess;
  let bankProxy: TcpProxy;
  let adapterA: AdapterProcess;
  let router: RouterProcess;
  let client: Client;

  beforeAll(async () => {
    processes = processGroup();
    simulator = await processes.add(startQrisSimulator());
    // qris-a reaches the bank through a proxy that can stall its answers; qris-b goes direct.
    bankProxy = await startTcpProxy(`127.0.0.1:${portOf(simulator.ready.url)}`);
    adapterA = await processes.add(startQrisAdapter(`http://${bankProxy.address}`));
    const adapterB = await processes.add(startQrisAdapter(simulator.ready.url));
    router = await processes.add(
      startRouterProcess({
        callers: { resilience: token },
        adapters: {
          "qris-a": { address: adapterA.ready.address },
          "qris-b": { address: adapterB.ready.address },
        },
        routes: { qris: ["qris-a", "qris-b"] },
        policy: {
          timeoutMs: 1_500,
          retry: FAST_RETRY,
          breaker: { ...HAIR_TRIGGER_BREAKER, halfOpenAfterMs: 1_000 },
        },
        resolver: { ...FAST_RESOLVER, pollAcceptedAfterMs: 60_000 },
      }),
    );
    client = plainPaymentClient(router.ready.grpc, token);
  });
  afterAll(async () => {
    client?.close();
    await processes?.stop();
    await bankProxy?.close();
  });

  it("keeps a payment whose answer was lost with the adapter that sent it, and resolves it there", async () => {
    const bank = simulator.ready.url;
    // Also gives qris-a its access token, so the stalled request below is the QR generation itself
    // (a stalled token fetch would prove nothing was sent, and failing over would then be right).
    const warm = await createPayment(client, "failover-warm");
    expect(warm).toMatchObject({ status: REQUIRES_ACTION, adapter: "qris-a" });

    const before = await stats(bank);
    bankProxy.stall("responses");
    const error = await rejection(createPayment(client, "failover-stalled", { deadlineMs: 10_000 }));
    expect(error.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    const info = errorInfoFromMetadata(error.metadata);
    expect(info?.reason).toBe("OUTCOME_UNKNOWN");
    const paymentId = info?.metadata.payment_id ?? "";
    // The bank did make the QR; only its answer was lost on the way back to qris-a.
    await waitFor(
      async () => ((await stats(bank)).charges === before.charges + 1 ? true : undefined),
      2_000,
      "the bank's charge",
    );
    expect(await getPayment(client, paymentId)).toMatchObject({
      status: PENDING,
      outcomeUnknown: true,
      adapter: "qris-a",
    });
    expect((await listPayments(client, { unresolvedOnly: true })).map((p) => p.id)).toContain(paymentId);
    expect(generateRequests(await stats(bank))).toBe(generateRequests(before) + 1); // qris-b never asked

    bankProxy.restore({ dropHeld: true });
    const resolved = await waitFor(
      async () => {
        const payment = await getPayment(client, paymentId);
        return settled(payment) ? payment : undefined;
      },
      10_000,
      "the resolver to settle the payment through qris-a",
    );
    expect(resolved).toMatchObject({ status: REQUIRES_ACTION, outcomeUnknown: false, adapter: "qris-a" });
    expect(resolved.providerReference).not.toBe("");
    const after = await stats(bank);
    expect(after.charges).toBe(before.charges + 1);
    expect(generateRequests(after)).toBe(generateRequests(before) + 1);
  });

  it("sends payments to qris-b when qris-a's process is gone, one charge each", async () => {
    const bank = simulator.ready.url;
    const before = await stats(bank);
    await kill(adapterA);
    const payments: Payment[] = [];
    for (let i = 0; i < 3; i++) payments.push(await createPayment(client, `failover-b-${i}`));
    for (const payment of payments) {
      expect(payment).toMatchObject({ status: REQUIRES_ACTION, outcomeUnknown: false, adapter: "qris-b" });
      expect(await heldByBank(bank, payment.id)).toBe(true);
    }
    const after = await stats(bank);
    expect(after.charges).toBe(before.charges + payments.length);
    expect(generateRequests(after)).toBe(generateRequests(before) + payments.length);
    // qris-a's refusals opened its breaker (it can only have closed again through a successful probe).
    expect(["open", "half-open"]).toContain(await breakerState(router.ready.http, token, "qris-a"));
    expect(await breakerState(router.ready.http, token, "qris-b")).toBe("closed");
    // Payments already with qris-a stay there.
    for (const payment of await listPayments(client)) {
      if (!payment.merchantReference.startsWith("failover-b-")) expect(payment.adapter).toBe("qris-a");
    }
  });
});
