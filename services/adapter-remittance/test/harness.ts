// The one test harness of the adapter's tests: the simulator in-process, the real provider served
// over gRPC on port 0, a gRPC client to it, and a Wise client for setting things up the way a
// caller would.
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
import { createRemittanceProvider } from "../src/provider.ts";
import { createWiseClient, type WiseClient, type WiseClientOptions } from "../src/wise-client.ts";

type CreateRequest = MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>;

/** A running simulator + adapter pair. */
export interface AdapterFixture {
  simulator: RemittanceSimulator;
  adapter: ServedAdapter;
  client: GrpcClient<typeof adapterv1.ProviderAdapter.method>;
  wise: WiseClient;
  close(): Promise<void>;
}

/** How {@link startAdapter} sets the pair up; without any, both run on the wall clock, face to face. */
export interface AdapterOptions {
  /** Shared by simulator and adapter. */
  clock?: () => Date;
  simulator?: RemittanceSimulatorOptions;
  /** The URL the Wise client calls instead of the simulator's, e.g. a proxy forwarding to it. */
  via?: (simulatorUrl: string) => string;
  /** The Wise client's retry backoff. */
  retry?: WiseClientOptions["retry"];
}

/** Starts the simulator and the adapter in front of it. */
export async function startAdapter(options: AdapterOptions = {}): Promise<AdapterFixture> {
  const simulator = await createRemittanceSimulator({
    ...options.simulator,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const wise = createWiseClient({
    baseUrl: options.via?.(simulator.url) ?? simulator.url,
    apiToken: simulator.apiToken,
    profileId: simulator.profileId,
    ...(options.retry ? { retry: options.retry } : {}),
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
