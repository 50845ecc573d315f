import { PaymentStatus } from "@paymesh/proto";
import type { QueueMessage } from "@paymesh/queue";
import type { PaymentStore } from "@paymesh/store";
import { beforeAll, describe, expect, it } from "vitest";
import { never, startFakeAdapter } from "../testing/fake-adapter.ts";
import {
  CALLER,
  CALLER_TOKEN,
  qrisRequest,
  startRouterFlows,
  useFlowStore,
} from "../testing/router-flows.ts";
import { startRouterServers } from "../testing/router-servers.ts";
import type { StuckPaymentJson } from "./admin-stuck-payments.ts";

// GET /admin/payments/stuck over the router's HTTP server on the embedded store, and a webhook for an
// adapter the router does not have.

const flow = useFlowStore();
let store: PaymentStore;
beforeAll(() => {
  store = flow.store();
});

async function stuck(url: string, token = CALLER_TOKEN) {
  const response = await fetch(`${url}/admin/payments/stuck?limit=1000`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as { payments?: StuckPaymentJson[] } };
}

describe("GET /admin/payments/stuck", () => {
  it("lists every payment the resolver is chasing, with attempts, next check and last answer", async () => {
    // The first payment's answer is lost (outcome unknown); the second is accepted and waits for a webhook.
    let calls = 0;
    const adapter = await startFakeAdapter({
      createPayment: async (request) => {
        calls += 1;
        if (calls === 1) return never();
        return {
          payment: { status: PaymentStatus.PROCESSING, providerReference: `ref-${request.paymentId}` },
        };
      },
      getPaymentStatus: async () => {
        throw Object.assign(new Error("provider down"), { code: 14, details: "provider down" });
      },
    });
    flow.keep(adapter);
    const flows = startRouterFlows({
      store,
      adapters: { qris: adapter },
      adapterTimeoutMs: 300,
      resolver: { initialDelayMs: 0 },
    });
    const router = await startRouterServers(flows, store);

    await expect(flows.createPayment(qrisRequest("stuck-unknown"))).rejects.toMatchObject({ code: 4 });
    const waiting = await flows.createPayment(qrisRequest("stuck-waiting"));
    const unknown = (
      await store.list(CALLER, { statuses: [], methods: [], unresolvedOnly: true }, 10, undefined)
    ).payments[0];
    expect(unknown?.outcomeUnknown).toBe(true);
    // One resolver pass asks the provider about the unknown one and gets no answer.
    await flows.resolver.runOnce();

    const { status, body } = await stuck(router.httpUrl);
    expect(status).toBe(200);
    const byId = new Map((body.payments ?? []).map((payment) => [payment.id, payment]));
    expect(byId.get(unknown?.id ?? "")).toMatchObject({
      caller: CALLER,
      status: "pending",
      adapter: "qris",
      outcomeUnknown: true,
      needsReview: false,
      attempts: 1,
      nextCheckAt: expect.stringMatching(/^\d{4}-/),
      lastAnswer: expect.stringContaining("provider down"),
    });
    // Not "unresolved" to ListPayments, but the resolver still owes it a check.
    expect(byId.get(waiting.id)).toMatchObject({
      status: "processing",
      outcomeUnknown: false,
      attempts: 0,
      nextCheckAt: expect.stringMatching(/^\d{4}-/),
    });
  });

  it("answers 401 to an unknown token and 400 to a bad limit", async () => {
    const adapter = await startFakeAdapter({});
    flow.keep(adapter);
    const router = await startRouterServers(startRouterFlows({ store, adapters: { qris: adapter } }), store);
    expect((await stuck(router.httpUrl, "nobody")).status).toBe(401);
    const response = await fetch(`${router.httpUrl}/admin/payments/stuck?limit=0`, {
      headers: { authorization: `Bearer ${CALLER_TOKEN}` },
    });
    expect(response.status).toBe(400);
  });
});

describe("GET /admin/payments/stuck when the store fails", () => {
  it("answers 503 and logs the cause, its secrets masked", async () => {
    const adapter = await startFakeAdapter({});
    flow.keep(adapter);
    const failing: PaymentStore = {
      ...store,
      listUnresolved: async () => {
        throw new Error("connect ECONNREFUSED postgres://payments:password=hunter2-secret@db:5432");
      },
    };
    const router = await startRouterServers(
      startRouterFlows({ store: failing, adapters: { qris: adapter } }),
      failing,
    );
    expect((await stuck(router.httpUrl, CALLER_TOKEN)).status).toBe(503);
    const line = router.logs.find((entry) => entry.source === "admin");
    expect(line).toMatchObject({ level: "error", path: "/admin/payments/stuck" });
    expect(JSON.stringify(line)).toContain("ECONNREFUSED");
    expect(router.rawLogs.join("")).not.toContain("hunter2-secret");
  });
});

describe("POST /webhooks/<unknown adapter>", () => {
  it("answers 404 and creates nothing: no queue job, no adapter call, no payment change", async () => {
    const adapter = await startFakeAdapter({ parseWebhook: async () => ({}) });
    flow.keep(adapter);
    const flows = startRouterFlows({ store, adapters: { qris: adapter } });
    const router = await startRouterServers(flows, store);
    const jobs: QueueMessage[] = [];
    await flows.queue.consume(async (message) => {
      jobs.push(message);
    });
    const before = await store.list(CALLER, { statuses: [], methods: [] }, 100, undefined);

    const response = await fetch(`${router.httpUrl}/webhooks/no-such-adapter`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "evt-1", payment_id: "pay_01", status: "PAID" }),
    });

    // The router answers a webhook only after queueing (or applying) it, so by the 404 anything it
    // would have done is done: no wait is needed before looking.
    expect(response.status).toBe(404);
    expect(jobs).toEqual([]);
    expect(adapter.received.parseWebhook).toEqual([]);
    expect(await store.list(CALLER, { statuses: [], methods: [] }, 100, undefined)).toEqual(before);
  });
});
