// Test harness: the real simulator behind the real adapter served over gRPC, so tests assert on
// what the router would see (statuses, errors with reasons, exchanges) and what the simulator did.
import { randomUUID } from "node:crypto";
import { createGrpcClient, type GrpcClient, type ServedAdapter, serveAdapter } from "@paymesh/adapter-kit";
import { adapterv1, VirtualAccountBank } from "@paymesh/proto";
import {
  createVaSimulator,
  simulatorDefaults,
  type VaSimulator,
  type VaSimulatorOptions,
} from "../sandbox/index.ts";
import { createMidtransClient, type MidtransClientOptions } from "../src/midtrans-client.ts";
import { createMidtransVaProvider } from "../src/provider.ts";

/** A running simulator + adapter + client. */
export interface Harness {
  simulator: VaSimulator;
  adapter: ServedAdapter;
  client: GrpcClient<typeof adapterv1.ProviderAdapter.method>;
  close(): Promise<void>;
}

/** Starts a simulator and an adapter pointed at it; `client` options override the Midtrans client's. */
export async function startHarness(
  options: {
    simulator?: VaSimulatorOptions;
    client?: Partial<MidtransClientOptions>;
    clock?: () => Date;
  } = {},
): Promise<Harness> {
  const simulator = await createVaSimulator(options.simulator);
  const provider = createMidtransVaProvider({
    client: createMidtransClient({
      baseUrl: simulator.url,
      serverKey: simulatorDefaults.serverKey,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...options.client,
    }),
    serverKey: simulatorDefaults.serverKey,
    version: "test",
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const adapter = await serveAdapter({ provider });
  const client = createGrpcClient(adapterv1.ProviderAdapter, adapter.address);
  return {
    simulator,
    adapter,
    client,
    async close() {
      client.close();
      await adapter.shutdown(1_000);
      await simulator.close();
    },
  };
}

/** A payment id in the router's format: "pay_" + 26 characters. */
export function newPaymentId(): string {
  return `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
}

/** A valid CreatePayment for `rupiah` whole rupiah into a VA at `bank`. */
export function vaPayment(
  rupiah: bigint,
  bank: VirtualAccountBank = VirtualAccountBank.BCA,
  extra: { customerName?: string; customVaNumber?: string } = {},
) {
  return {
    paymentId: newPaymentId(),
    amount: { currency: "IDR", minorUnits: rupiah * 100n },
    method: { case: "virtualAccount" as const, value: { bank, ...extra } },
  };
}
