import type { PaymentStore } from "@paymesh/store";
import { createMemoryPaymentStore } from "@paymesh/store";
import { createAdapterRegistry } from "./adapter-registry.ts";
import { createAuthenticator } from "./caller-auth.ts";
import { startGrpcServer } from "./grpc-server.ts";
import { startHttpServer } from "./http-server.ts";
import { createIdGenerator } from "./ids.ts";
import { createPaymentService } from "./payment-service.ts";
import type { RouterConfig } from "./router-config.ts";
import { createWebhookIngress } from "./webhook-ingress.ts";

/** A running router: gRPC and HTTP servers over one PaymentService. */
export interface RunningRouter {
  grpcAddress: string;
  httpUrl: string;
  store: PaymentStore;
  close(): Promise<void>;
}

/** Starts the router from a resolved config. The store defaults to the in-memory one. */
export async function startRouter(
  config: RouterConfig,
  options: { store?: PaymentStore } = {},
): Promise<RunningRouter> {
  const store = options.store ?? createMemoryPaymentStore();
  const registry = createAdapterRegistry(config);
  const authenticate = createAuthenticator(config.callers);
  const service = createPaymentService({
    store,
    registry,
    newId: createIdGenerator(),
    adapterTimeoutMs: config.adapterTimeoutMs,
  });
  const webhooks = createWebhookIngress({ registry, service });
  const grpc = await startGrpcServer({ service, authenticate, host: config.host, port: config.grpcPort });
  const http = await startHttpServer({
    service,
    authenticate,
    webhooks,
    host: config.host,
    port: config.httpPort,
  });
  return {
    grpcAddress: `${config.host}:${grpc.port}`,
    httpUrl: `http://${config.host}:${http.port}`,
    store,
    async close() {
      await Promise.all([grpc.shutdown(), http.close()]);
      registry.close();
    },
  };
}
