// The one test harness: the real simulator behind the real adapter served over gRPC, configured
// exactly as sandbox/adapter-env.ts says, so tests assert on what the router would see and on what
// the simulator did.
import { randomUUID } from "node:crypto";
import { createGrpcClient, type GrpcClient, type ServedAdapter, serveAdapter } from "@paymesh/adapter-kit";
import { adapterv1, VirtualAccountBank } from "@paymesh/proto";
import { adapterEnv, createSimulator, type Simulator, type SimulatorOptions } from "../sandbox/index.ts";
import { loadConfig } from "../src/config.ts";
import { createProvider, type ProviderOptions } from "../src/provider.ts";

/** A running simulator, the adapter pointed at it, and a gRPC client of the adapter. */
export interface Harness {
  simulator: Simulator;
  adapter: ServedAdapter;
  client: GrpcClient<typeof adapterv1.ProviderAdapter.method>;
  close(): Promise<void>;
}

/** Starts a simulator and an adapter configured for it; `provider` overrides the provider's options. */
export async function startHarness(
  options: { simulator?: SimulatorOptions; provider?: Partial<ProviderOptions> } = {},
): Promise<Harness> {
  const simulator = await createSimulator(options.simulator);
  const config = loadConfig(adapterEnv(simulator.url));
  const provider = createProvider({ ...config, version: "test", ...options.provider });
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

/** A valid CreatePayment (Rp150.000 into a BCA virtual account) with a fresh id, changed as asked. */
export function vaPayment(
  change: { minorUnits?: bigint; bank?: VirtualAccountBank; customerName?: string } = {},
) {
  return {
    paymentId: newPaymentId(),
    amount: { currency: "IDR", minorUnits: change.minorUnits ?? 150_000_00n },
    method: {
      case: "virtualAccount" as const,
      value: {
        bank: change.bank ?? VirtualAccountBank.BCA,
        customerName: change.customerName ?? "Budi Santoso",
      },
    },
    merchantReference: "order-1",
  };
}
