// Shared by the adapter's focused tests: a simulator, the real provider served over gRPC on port 0,
// a gRPC client to it, and a Wise client for setting things up the way a caller would.
import { randomUUID } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
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
  createRemittanceSimulator,
  loadTestKeys,
  type RemittanceSimulator,
  type RemittanceSimulatorOptions,
} from "../sandbox/index.ts";
import { createRemittanceProvider } from "../src/remittance-provider.ts";
import { createWiseClient, type WiseClient } from "../src/wise-client.ts";

type CreateRequest = MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>;

/** A running simulator + adapter pair. */
export interface AdapterFixture {
  simulator: RemittanceSimulator;
  adapter: ServedAdapter;
  client: GrpcClient<typeof adapterv1.ProviderAdapter.method>;
  wise: WiseClient;
  close(): Promise<void>;
}

/** Starts the simulator and the adapter in front of it; both share `clock` when given. */
export async function startAdapter(
  options: { clock?: () => Date; simulator?: RemittanceSimulatorOptions } = {},
): Promise<AdapterFixture> {
  const simulator = await createRemittanceSimulator({
    ...options.simulator,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const wise = createWiseClient({
    baseUrl: simulator.url,
    apiToken: simulator.apiToken,
    profileId: simulator.profileId,
  });
  const provider = createRemittanceProvider({
    client: wise,
    webhookPublicKey: loadTestKeys().webhookPublicKey,
    version: "test",
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const adapter = await serveAdapter({ provider });
  const client = createGrpcClient(adapterv1.ProviderAdapter, adapter.address);
  return {
    simulator,
    adapter,
    client,
    wise,
    async close() {
      client.close();
      await adapter.shutdown(1_000);
      await simulator.close();
    },
  };
}

/** A payment id in the router's format. */
export function paymentId(): string {
  return `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
}

/** Makes an IDR→GBP quote for `sourceAmount` (decimal text) and returns its id and source minor units. */
export async function idrQuote(
  fixture: AdapterFixture,
  sourceAmount = "1500000.00",
): Promise<{ id: string; minorUnits: bigint }> {
  const quote = await fixture.client.createQuote({
    sourceCurrency: "IDR",
    targetCurrency: "GBP",
    amount: {
      case: "sourceAmount",
      value: { currency: "IDR", minorUnits: BigInt(sourceAmount.replace(".", "")) },
    },
  });
  return { id: quote.quote?.id ?? "", minorUnits: quote.quote?.sourceAmount?.minorUnits ?? 0n };
}

/** A remittance CreatePayment request for a quote, to a GBP sort-code account. */
export function remittancePayment(
  quote: { id: string; minorUnits: bigint },
  accountNumber = "37778842",
  id = paymentId(),
): CreateRequest {
  return {
    paymentId: id,
    amount: { currency: "IDR", minorUnits: quote.minorUnits },
    method: {
      case: "remittance",
      value: {
        quoteId: quote.id,
        recipient: {
          currency: "GBP",
          type: "sort_code",
          accountHolderName: "Ann Smith",
          details: { sortCode: "040075", accountNumber },
        },
        reference: "Invoice 42",
      },
    },
  };
}

/** The PaymeshError a call failed with. */
export async function rejection(promise: Promise<unknown>): Promise<PaymeshError> {
  try {
    await promise;
  } catch (error) {
    if (isPaymeshError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
