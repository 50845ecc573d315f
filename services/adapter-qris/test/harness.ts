// The one test harness of the QRIS adapter: the SNAP simulator in-process and the provider in front
// of it, configured exactly as the process is (sandbox/adapter-env.ts read by src/config.ts).
import {
  createGrpcClient,
  type GrpcClient,
  isPaymeshError,
  type PaymeshError,
  type ServedAdapter,
  serveAdapter,
} from "@paymesh/adapter-kit";
import { adapterv1 } from "@paymesh/proto";
import {
  adapterEnv,
  createQrisSimulator,
  type QrisSimulator,
  type QrisSimulatorOptions,
} from "../sandbox/index.ts";
import { loadConfig } from "../src/config.ts";
import { createQrisProvider, type QrisProviderOptions } from "../src/provider.ts";
import { createSnapQrClient, type SnapQrClientOptions } from "../src/snap-client.ts";

/** SNAP client options for the simulator's credentials at `baseUrl` (a simulator, or a proxy in front of one). */
export function snapOptions(
  baseUrl: string,
  overrides: Partial<SnapQrClientOptions> = {},
): SnapQrClientOptions {
  return { ...loadConfig(adapterEnv(baseUrl)).snap, ...overrides };
}

/** The bank's public key the simulator's notifications verify with. */
export function bankPublicKey(): string {
  return loadConfig(adapterEnv("http://127.0.0.1:9")).bankPublicKey;
}

/** The adapter served over gRPC, and a client of it. */
export interface ServedQris {
  adapter: ServedAdapter;
  grpc: GrpcClient<typeof adapterv1.ProviderAdapter.method>;
  close(): Promise<void>;
}

/** What a harness may change: the client's and the provider's options. */
export interface ServeOptions {
  client?: Partial<SnapQrClientOptions>;
  provider?: Partial<Omit<QrisProviderOptions, "client">>;
}

/** Serves a QRIS provider whose SNAP client sends to `baseUrl`. */
export async function serveQris(baseUrl: string, options: ServeOptions = {}): Promise<ServedQris> {
  const provider = createQrisProvider({
    client: createSnapQrClient(snapOptions(baseUrl, options.client)),
    bankPublicKey: bankPublicKey(),
    version: "test",
    ...options.provider,
  });
  const adapter = await serveAdapter({ provider });
  const grpc = createGrpcClient(adapterv1.ProviderAdapter, adapter.address);
  return {
    adapter,
    grpc,
    async close() {
      grpc.close();
      await adapter.shutdown(1_000);
    },
  };
}

/** The simulator and the adapter in front of it. */
export interface QrisHarness extends ServedQris {
  simulator: QrisSimulator;
}

/** Starts the simulator in-process and serves the adapter against it. */
export async function startHarness(
  options: ServeOptions & { simulator?: QrisSimulatorOptions } = {},
): Promise<QrisHarness> {
  const simulator = await createQrisSimulator(options.simulator);
  const served = await serveQris(simulator.url, options);
  return {
    ...served,
    simulator,
    async close() {
      await served.close();
      await simulator.close();
    },
  };
}

/** A gRPC call deadline 10 s from now. */
export const deadline = () => ({ deadline: new Date(Date.now() + 10_000) });

/** The PaymeshError a call failed with; fails the test when it succeeded. */
export async function rejection(promise: Promise<unknown>): Promise<PaymeshError> {
  try {
    await promise;
  } catch (error) {
    if (isPaymeshError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
