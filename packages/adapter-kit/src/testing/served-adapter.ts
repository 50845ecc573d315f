import { adapterv1 } from "@paymesh/proto";
import { createGrpcClient, type GrpcClient } from "../grpc-client.ts";
import type { PaymentProvider } from "../payment-provider.ts";
import { type ServedAdapter, serveAdapter } from "../serve-adapter.ts";

/** A gRPC client of the ProviderAdapter service, the one the router holds. */
export type AdapterClient = GrpcClient<typeof adapterv1.ProviderAdapter.method>;

/** A provider served over gRPC on a free port, and a client of it. */
export interface ServedForTest {
  adapter: ServedAdapter;
  client: AdapterClient;
  /** Closes the client, then shuts the server down. */
  close(): Promise<void>;
}

/** Anything a harness starts in front of the adapter: a simulator, or a proxy. */
export interface Closable {
  close(): Promise<void>;
}

/** The simulator, the adapter in front of it and a client: the router's view of one provider. */
export interface AdapterHarness<S extends Closable> extends ServedForTest {
  simulator: S;
}

/**
 * Serves `provider` the way main.ts does and connects a client, so a test goes through the wire
 * the router uses: validation, error encoding and status details included.
 */
export async function serveForTest(provider: PaymentProvider): Promise<ServedForTest> {
  const adapter = await serveAdapter({ provider });
  const client = createGrpcClient(adapterv1.ProviderAdapter, adapter.address);
  return {
    adapter,
    client,
    async close() {
      client.close();
      await adapter.shutdown(1_000);
    },
  };
}

/**
 * Starts a simulator, then serves the provider `providerFor` builds against it. `close` stops
 * all three, the simulator last, so no call in flight meets a closed simulator.
 */
export async function startAdapterHarness<S extends Closable>(
  startSimulator: () => Promise<S>,
  providerFor: (simulator: S) => PaymentProvider,
): Promise<AdapterHarness<S>> {
  const simulator = await startSimulator();
  const served = await serveForTest(providerFor(simulator));
  return {
    ...served,
    simulator,
    async close() {
      await served.close();
      await simulator.close();
    },
  };
}
