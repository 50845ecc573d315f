import { create, fromBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { createMemoryIdempotencyStore } from "@paymesh/idempotency";
import { CreatePaymentRequestSchema, CreatePaymentResponseSchema, type Payment } from "@paymesh/proto";
import { createMemoryWorkQueue } from "@paymesh/queue";
import { openPaymentStore, type PaymentStore } from "@paymesh/store";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import { createAdapterRegistry } from "../adapters/adapter-registry.ts";
import { createIdGenerator } from "../ids.ts";
import type { RequestContext } from "../payments/request-context.ts";
import { createStatusResolver } from "../payments/status-resolver.ts";
import { type ResolverSettings, resolveRouterConfig } from "../router-config.ts";
import { createPaymentService } from "../server/payment-service.ts";
import { applyWebhookEvent } from "../webhooks/apply-webhook-event.ts";
import { createWebhookIngress } from "../webhooks/webhook-ingress.ts";
import { createWebhookJobHandler } from "../webhooks/webhook-jobs.ts";
import { type FakeAdapter, type FakeAdapterScript, startFakeAdapter } from "./fake-adapter.ts";

/** The caller every request of these flows comes from, and its bearer token. */
export const CALLER = "shop";
export const CALLER_TOKEN = "shop-token-0123456789";

/**
 * The router's flows wired as startRouter wires them, minus the servers and timers: PaymentService,
 * the status resolver (run a pass with `resolver.runOnce()`) and the webhook ingress over an
 * in-process queue, all on the given store and talking to the given adapters over gRPC. Payments of
 * every method go to `adapters` in the order given. Closed when the test finishes.
 */
export function startRouterFlows(options: {
  store: PaymentStore;
  adapters: Record<string, FakeAdapter>;
  /** Bound on one adapter call. @default 2000 */
  adapterTimeoutMs?: number;
  /** @default a first check a minute after an unknown outcome; nothing else due during a test */
  resolver?: Partial<ResolverSettings>;
}) {
  const { store } = options;
  const config = resolveRouterConfig({
    callers: { [CALLER]: CALLER_TOKEN },
    adapters: Object.fromEntries(
      Object.entries(options.adapters).map(([name, adapter]) => [name, { address: adapter.address }]),
    ),
    // Every method goes to the same adapters, so a test can send any kind of payment.
    routes: Object.fromEntries(
      ["qris", "virtual_account", "bank_transfer", "remittance"].map((method) => [
        method,
        Object.keys(options.adapters),
      ]),
    ),
    // One attempt per call, so a test counts exactly what the router sent.
    policy: { retry: { maxAttempts: 1 } },
    adapterTimeoutMs: options.adapterTimeoutMs ?? 2_000,
    resolver: { initialDelayMs: 60_000, ...options.resolver },
  });
  const registry = createAdapterRegistry(config);
  const service = createPaymentService({
    store,
    idempotency: createMemoryIdempotencyStore({ retentionMs: config.idempotencyRetentionMs }),
    registry,
    newId: createIdGenerator(),
    adapterTimeoutMs: config.adapterTimeoutMs,
    resolver: config.resolver,
  });
  const resolver = createStatusResolver({ store, registry, settings: config.resolver });
  const queue = createMemoryWorkQueue({ name: "webhooks", retryDelaysMs: [10], maxAttempts: 2 });
  const applyJob = createWebhookJobHandler({
    applyWebhookEvent: (adapter, event) => applyWebhookEvent(store, adapter, event),
  });
  // As the router does over an in-process queue: each event is applied before the answer.
  const webhooks = createWebhookIngress({ registry, store, queue, applyFirst: applyJob });
  onTestFinished(async () => {
    registry.close();
    await queue.close();
  });

  return {
    service,
    registry,
    resolverSettings: config.resolver,
    resolver,
    webhooks,
    queue,
    /** CreatePayment as the transports call it; the decoded payment. */
    async createPayment(request: MessageInitShape<typeof CreatePaymentRequestSchema>): Promise<Payment> {
      const bytes = await service.createPayment(callerContext(), create(CreatePaymentRequestSchema, request));
      const payment = fromBinary(CreatePaymentResponseSchema, bytes).payment;
      if (payment === undefined) throw new Error("CreatePayment answered without a payment");
      return payment;
    },
  };
}

/** A QRIS payment request of 25 000 IDR under the given idempotency key. */
export function qrisRequest(idempotencyKey: string): MessageInitShape<typeof CreatePaymentRequestSchema> {
  return {
    idempotencyKey,
    amount: { currency: "IDR", minorUnits: 2_500_000n },
    method: { case: "qris", value: {} },
    merchantReference: `order-${idempotencyKey}`,
  };
}

/** The request context of a caller without a deadline. */
export function callerContext(): RequestContext {
  return { caller: CALLER, deadline: Number.POSITIVE_INFINITY, signal: new AbortController().signal };
}

/**
 * The embedded store and the fake adapters one test file shares: the store opens before the file's
 * tests, and it and every adapter started or kept here close after them.
 */
export function useFlowStore() {
  let opened: PaymentStore | undefined;
  const adapters: FakeAdapter[] = [];
  beforeAll(async () => {
    opened = await openPaymentStore();
  });
  afterAll(async () => {
    await Promise.all(adapters.map((adapter) => adapter.close()));
    await opened?.close();
  });
  const keep = (adapter: FakeAdapter): FakeAdapter => {
    adapters.push(adapter);
    return adapter;
  };
  return {
    store(): PaymentStore {
      if (opened === undefined) throw new Error("the flow store opens in beforeAll");
      return opened;
    },
    /** Closes `adapter` with the rest after the file's tests. */
    keep,
    async fakeAdapter(script: FakeAdapterScript): Promise<FakeAdapter> {
      return keep(await startFakeAdapter(script));
    },
  };
}
