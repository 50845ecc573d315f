// The one test harness of the QRIS adapter: the SNAP simulator in-process and the provider in front
// of it, configured exactly as the process is (sandbox/adapter-env.ts read by src/config.ts).
import {
  type AdapterHarness,
  type ServedForTest,
  serveForTest,
  startAdapterHarness,
} from "@paymesh/adapter-kit/testing";
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

/** What a harness may change: the client's and the provider's options. */
export interface ServeOptions {
  client?: Partial<SnapQrClientOptions>;
  provider?: Partial<Omit<QrisProviderOptions, "client">>;
}

function qrisProvider(baseUrl: string, options: ServeOptions) {
  return createQrisProvider({
    client: createSnapQrClient(snapOptions(baseUrl, options.client)),
    bankPublicKey: bankPublicKey(),
    version: "test",
    ...options.provider,
  });
}

/** Serves a QRIS provider whose SNAP client sends to `baseUrl` (a proxy, when a test scripts faults). */
export function serveQris(baseUrl: string, options: ServeOptions = {}): Promise<ServedForTest> {
  return serveForTest(qrisProvider(baseUrl, options));
}

/** The simulator and the adapter in front of it. */
export type QrisHarness = AdapterHarness<QrisSimulator>;

/** Starts the simulator in-process and serves the adapter against it. */
export function startHarness(
  options: ServeOptions & { simulator?: QrisSimulatorOptions } = {},
): Promise<QrisHarness> {
  return startAdapterHarness(
    () => createQrisSimulator(options.simulator),
    (simulator) => qrisProvider(simulator.url, options),
  );
}
