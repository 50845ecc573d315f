import { createMemoryIdempotencyStore, type IdempotencyStore } from "@paymesh/idempotency";
import { createMemoryPaymentStore, type PaymentStore } from "@paymesh/store";
import { adapterHealthName, createAdapterMonitor } from "./adapter-monitor.ts";
import { createAdapterRegistry } from "./adapter-registry.ts";
import { createAuthenticator } from "./caller-auth.ts";
import { startGrpcServer } from "./grpc-server.ts";
import { startHttpServer } from "./http-server.ts";
import { createIdGenerator } from "./ids.ts";
import { createPaymentService } from "./payment-service.ts";
import type { RouterConfig } from "./router-config.ts";
import { type LogSink, logPolicyEvent, logResolverEvent, stderrSink } from "./router-log.ts";
import { createRouterMetrics } from "./router-metrics.ts";
import { createStatusResolver } from "./status-resolver.ts";
import { createWebhookIngress } from "./webhook-ingress.ts";

/** A running router: gRPC and HTTP servers over one PaymentService. */
export interface RunningRouter {
  grpcAddress: string;
  httpUrl: string;
  store: PaymentStore;
  /** Stops serving, then closes the stores it was given. */
  close(): Promise<void>;
}

/** The backends a router runs on; in-memory ones when not given (tests, benchmarks). */
export interface RouterBackends {
  store?: PaymentStore;
  idempotency?: IdempotencyStore;
  /** Structured log lines (policy and resolver events). @default JSON lines on stderr */
  log?: LogSink;
}

/** Starts the router from a resolved config. */
export async function startRouter(
  config: RouterConfig,
  backends: RouterBackends = {},
): Promise<RunningRouter> {
  const store = backends.store ?? createMemoryPaymentStore();
  const idempotency =
    backends.idempotency ?? createMemoryIdempotencyStore({ retentionMs: config.idempotencyRetentionMs });
  const log = backends.log ?? stderrSink;
  const metrics = createRouterMetrics();
  const registry = createAdapterRegistry(config, {
    onPolicyEvent: (event) => {
      metrics.policyEvent(event);
      logPolicyEvent(log, event);
    },
  });
  const authenticate = createAuthenticator(config.callers);
  const service = createPaymentService({
    store,
    idempotency,
    registry,
    newId: createIdGenerator(),
    adapterTimeoutMs: config.adapterTimeoutMs,
    resolver: config.resolver,
    idempotencyLeaseMs: config.idempotencyLeaseMs,
  });
  const webhooks = createWebhookIngress({ registry, service });
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
  const grpc = await startGrpcServer({ service, authenticate, host: config.host, port: config.grpcPort });
  // Each adapter shows in the router's health service: SERVING while it answers and its breaker
  // is not open.
  const monitor = createAdapterMonitor({
    registry,
    onChange: (adapter) =>
      grpc.health.setStatus(
        adapterHealthName(adapter.name),
        adapter.reachable === true && adapter.breaker !== "open" ? "SERVING" : "NOT_SERVING",
      ),
  });
  monitor.start();
  const http = await startHttpServer({
    service,
    authenticate,
    webhooks,
    adapters: () => monitor.snapshot(),
    metrics: () => metrics.render(monitor.snapshot()),
    host: config.host,
    port: config.httpPort,
  });
  return {
    grpcAddress: `${config.host}:${grpc.port}`,
    httpUrl: `http://${config.host}:${http.port}`,
    store,
    async close() {
      await resolver.stop();
      monitor.stop();
      await Promise.all([grpc.shutdown(), http.close()]);
      registry.close();
      await Promise.all([store.close(), idempotency.close()]);
    },
  };
}
