// Test harness: the real simulator behind the real adapter served over gRPC, so tests assert on
// what the router would see (statuses, errors with reasons, exchanges) and what the simulator did.
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import { VirtualAccountBank } from "@paymesh/proto";
import {
  createVaSimulator,
  simulatorDefaults,
  type VaSimulator,
  type VaSimulatorOptions,
} from "../sandbox/index.ts";
import { createMidtransClient, type MidtransClientOptions } from "../src/midtrans-client.ts";
import { createMidtransVaProvider } from "../src/provider.ts";

/** A running simulator + adapter + client. */
export type Harness = AdapterHarness<VaSimulator>;

/** Starts a simulator and an adapter pointed at it; `client` options override the Midtrans client's. */
export function startHarness(
  options: {
    simulator?: VaSimulatorOptions;
    client?: Partial<MidtransClientOptions>;
    clock?: () => Date;
  } = {},
): Promise<Harness> {
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  return startAdapterHarness(
    () => createVaSimulator(options.simulator),
    (simulator) =>
      createMidtransVaProvider({
        client: createMidtransClient({
          baseUrl: simulator.url,
          serverKey: simulatorDefaults.serverKey,
          ...clock,
          ...options.client,
        }),
        serverKey: simulatorDefaults.serverKey,
        version: "test",
        ...clock,
      }),
  );
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
