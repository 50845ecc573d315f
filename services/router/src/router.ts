import { createAuthenticator } from "@paymesh/adapter-kit";
import { createMemoryIdempotencyStore, type IdempotencyStore } from "@paymesh/idempotency";
import {
  createMemoryEventPublisher,
  createMemoryWorkQueue,
  type EventPublisher,
  type QueueConsumer,
  type QueueMessage,
  type WorkQueue,
} from "@paymesh/queue";
import type { ReconLedger } from "@paymesh/reconciler";
import { createMemoryPaymentStore, type PaymentStore, type ReviewTrail } from "@paymesh/store";
import {
  checkReadiness,
  createLogger,
  createMetrics,
  type Logger,
  logRpc,
  type Metrics,
  type Readiness,
  type RpcLogLevel,
} from "@paymesh/telemetry";
import { createAdapterDescriptions } from "./adapters/adapter-descriptions.ts";
import { adapterHealthName, createAdapterMonitor } from "./adapters/adapter-monitor.ts";
import { createAdapterRegistry } from "./adapters/adapter-registry.ts";
import { createOutboxRelay } from "./events/outbox-relay.ts";
import { createIdGenerator } from "./ids.ts";
import { observePayments } from "./payments/payment-observation.ts";
import { createReviewResolver } from "./payments/resolve-review.ts";
import { createStatusResolver } from "./payments/status-resolver.ts";
import type { RouterConfig } from "./router-config.ts";
import {
  logPolicyEvent,
  logRelayEvent,
  logResolverEvent,
  logWebhookEvent,
  logWebhookJobFailure,
} from "./router-log.ts";
import { createRouterMetrics } from "./router-metrics.ts";
import { startGrpcServer } from "./server/grpc-server.ts";
import { startHttpServer } from "./server/http-server.ts";
import { createPaymentAdminService } from "./server/payment-admin-service.ts";
import { createPaymentService } from "./server/payment-service.ts";
import { createReconAdminService } from "./server/recon-admin-service.ts";
import type { OnRpcFinished } from "./server/rpc-observation.ts";
import { applyWebhookEvent } from "./webhooks/apply-webhook-event.ts";
import { createWebhookIngress } from "./webhooks/webhook-ingress.ts";
import { createWebhookJobHandler } from "./webhooks/webhook-jobs.ts";

/** A running router: gRPC and HTTP servers over one PaymentService. */
export interface RunningRouter {
  grpcAddress: string;
  httpUrl: string;
  store: PaymentStore;
  /** The webhook work queue (its dead letters are at /admin/dlq). */
  webhookQueue: WorkQueue;
  /** Where payment events are published. */
  events: EventPublisher;
  /** Stops serving, then closes the stores it was given. */
  close(): Promise<void>;
}

/** The backends a router runs on; in-memory ones when not given (tests, benchmarks). */
export interface RouterBackends {
  store?: PaymentStore;
  /** Reconciliation runs in the store's database, for `/admin/recon`. @default none (404) */
  recon?: ReconLedger;
  /**
   * The trail of operators' decisions about payments raised for review, in the store's database:
   * without it PaymentAdminService.ResolvePayment answers UNIMPLEMENTED. @default none
   */
  reviewTrail?: ReviewTrail;
  idempotency?: IdempotencyStore;
  /** Where verified webhook events wait to be applied. @default an in-process queue */
  webhookQueue?: WorkQueue;
  /** Where the outbox relay publishes payment events. @default in process, keeping the last 1000 */
  events?: EventPublisher;
  /**
   * The router's logger (@paymesh/telemetry). @default JSON lines on stderr, warnings and errors only
   * (a router embedded in a test); main.ts gives the process's logger at LOG_LEVEL
   */
  log?: Logger;
  /** The level of the line each served call gets (LOG_RPC_LEVEL). @default "info" */
  rpcLogLevel?: RpcLogLevel;
  /** The registry GET /metrics serves. @default a registry of this router's own, with process metrics */
  metrics?: Metrics;
}

/** How often readiness is re-checked for the gRPC health service (GET /readyz checks afresh). */
const READINESS_INTERVAL_MS = 5_000;
/** Bound on each readiness check: a backend slower than this is not ready for payments either. */
const READINESS_TIMEOUT_MS = 1_000;

/** Starts the router from a resolved config. */
export async function startRouter(
  config: RouterConfig,
  backends: RouterBackends = {},
): Promise<RunningRouter> {
  const backendStore = backends.store ?? createMemoryPaymentStore();
  const registryMetrics = backends.metrics ?? createMetrics();
  const metrics = createRouterMetrics(registryMetrics, Object.keys(config.adapters));
  // Every payment write goes through here: creations and final statuses are counted once, whichever
  // flow (API, webhook, resolver) made them.
  const store = observePayments(backendStore, {
    onCreated: metrics.paymentCreated,
    onFinished: metrics.paymentFinished,
    onProviderEvent: metrics.webhookApplied,
  });
  const idempotency =
    backends.idempotency ?? createMemoryIdempotencyStore({ retentionMs: config.idempotencyRetentionMs });
  const log = backends.log ?? createLogger({ service: "router", level: "warn" });
  const rpcLogLevel = backends.rpcLogLevel ?? "info";
  const webhookQueue =
    backends.webhookQueue ??
    createMemoryWorkQueue({
      name: "paymesh.webhooks",
      retryDelaysMs: config.webhooks.retryDelaysMs,
      maxAttempts: config.webhooks.maxAttempts,
    });
  const events = backends.events ?? createMemoryEventPublisher({ retain: 1_000 });
  const registry = createAdapterRegistry(config, {
    onPolicyEvent: (event) => {
      metrics.policyEvent(event);
      logPolicyEvent(log, event);
    },
    onAdapterCall: metrics.adapterCall,
  });
  /** The one observation point of every served RPC, gRPC and Connect alike: its metric and its line. */
  const onRpcFinished: OnRpcFinished = (rpc) => {
    metrics.rpcFinished(rpc);
    logRpc(log, rpcLogLevel, rpc);
  };
  const authenticate = createAuthenticator(config.callers);
  const authenticateOperator =
    Object.keys(config.operators).length > 0 ? createAuthenticator(config.operators) : authenticate;
  const descriptions = createAdapterDescriptions();
  const service = createPaymentService({
    store,
    idempotency,
    registry,
    descriptions,
    newId: createIdGenerator(),
    adapterTimeoutMs: config.adapterTimeoutMs,
    resolver: config.resolver,
    idempotencyLeaseMs: config.idempotencyLeaseMs,
    onIdempotencyOutcome: metrics.idempotencyOutcome,
  });
  const handleWebhookJob = createWebhookJobHandler({
    applyWebhookEvent: (adapter, event) => applyWebhookEvent(store, adapter, event),
  });
  const runWebhookJob = async (message: QueueMessage): Promise<void> => {
    try {
      await handleWebhookJob(message);
    } catch (error) {
      metrics.webhookJobFailed();
      logWebhookJobFailure(log, message, error);
      throw error;
    }
  };
  const webhooks = createWebhookIngress({
    registry,
    store,
    queue: webhookQueue,
    enqueueTimeoutMs: config.webhooks.enqueueTimeoutMs,
    // A queue that dies with the process is no safe place to leave an event the provider was told
    // we have: apply it first, and queue only failures for their retries.
    ...(webhookQueue.durable ? {} : { applyFirst: runWebhookJob }),
    contentTypes: (adapter) => config.adapters[adapter]?.webhookContentTypes ?? ["application/json"],
    onEvent: (event) => {
      metrics.webhookEvent(event);
      logWebhookEvent(log, event);
    },
  });
  const consumers: QueueConsumer[] = [];
  for (let i = 0; i < config.webhooks.consumers; i++)
    consumers.push(await webhookQueue.consume(runWebhookJob));
  const relay = createOutboxRelay({
    store,
    publisher: events,
    sweepIntervalMs: config.events.sweepIntervalMs,
    minPassIntervalMs: config.events.minPassIntervalMs,
    retentionMs: config.events.retentionMs,
    onEvent: (event) => {
      metrics.relayEvent(event);
      logRelayEvent(log, event);
    },
  });
  relay.start();
  const resolver = createStatusResolver({
    store,
    registry,
    settings: config.resolver,
    onEvent: (event) => {
      metrics.resolverEvent(event);
      logResolverEvent(log, event);
    },
  });
  resolver.start();
  // Served whether or not the store keeps runs: without one, each call answers UNIMPLEMENTED.
  const reconAdmin = createReconAdminService({ ledger: backends.recon, log });
  // Through the observed store: an operator's decision is journaled, announced and counted as any change.
  const resolveReview =
    backends.reviewTrail === undefined
      ? undefined
      : createReviewResolver({ store, trail: backends.reviewTrail });
  const paymentAdmin = createPaymentAdminService({ resolve: resolveReview, log });
  const grpc = await startGrpcServer({
    service,
    authenticate,
    authenticateOperator,
    reconAdmin,
    paymentAdmin,
    log,
    onRpcFinished,
    host: config.host,
    port: config.grpcPort,
  });
  // Ready when the store, the idempotency store and the queue answer: the same answer on GET
  // /readyz and, as the overall status, in the gRPC health service.
  const readinessChecks = [
    { name: "store", check: () => backendStore.gauges() },
    { name: "idempotency", check: () => idempotency.ping() },
    { name: "queue", check: () => webhookQueue.sizes() },
  ];
  const readiness = async (): Promise<Readiness> => {
    const result = await checkReadiness(readinessChecks, READINESS_TIMEOUT_MS);
    grpc.setServing(result.ready);
    return result;
  };
  const readinessTimer = setInterval(() => void readiness(), READINESS_INTERVAL_MS);
  readinessTimer.unref();
  // Each adapter shows in the router's health service: SERVING while it answers and its breaker
  // is not open.
  const monitor = createAdapterMonitor({
    registry,
    onDescribe: descriptions.remember,
    onChange: (adapter) =>
      grpc.health.setStatus(
        adapterHealthName(adapter.name),
        adapter.reachable === true && adapter.breaker !== "open" ? "SERVING" : "NOT_SERVING",
      ),
  });
  monitor.start();
  metrics.watch({ adapters: () => monitor.snapshot(), registry, store: backendStore, webhookQueue });
  const http = await startHttpServer({
    service,
    authenticate,
    authenticateOperator,
    webhooks,
    adapters: () => monitor.snapshot(),
    metrics: registryMetrics,
    readiness,
    onRpcFinished,
    deadLetters: webhookQueue.deadLetters,
    store,
    ...(backends.recon === undefined ? {} : { recon: backends.recon }),
    reconAdmin,
    paymentAdmin,
    ...(resolveReview === undefined ? {} : { resolveReview }),
    log,
    host: config.host,
    port: config.httpPort,
  });
  return {
    grpcAddress: `${config.host}:${grpc.port}`,
    httpUrl: `http://${config.host}:${http.port}`,
    store,
    webhookQueue,
    events,
    async close() {
      clearInterval(readinessTimer);
      await resolver.stop();
      monitor.stop();
      await Promise.all([grpc.shutdown(), http.close()]);
      // Unfinished webhook jobs go back to the queue; the relay sends what is ready, if it can.
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await relay.stop();
      registry.close();
      await Promise.all([webhookQueue.close(), events.close()]);
      await Promise.all([store.close(), idempotency.close()]);
    },
  };
}
