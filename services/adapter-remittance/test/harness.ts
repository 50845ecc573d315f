// The one test harness of the adapter's tests: the simulator in-process, the real provider served
// over gRPC on port 0, a gRPC client to it, and a Wise client for setting things up the way a
// caller would.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import type { adapterv1 } from "@paymesh/proto";
import {
  createRemittanceSimulator,
  loadTestKeys,
  type RemittanceSimulator,
  type RemittanceSimulatorOptions,
} from "../sandbox/index.ts";
import { createRemittanceProvider } from "../src/provider.ts";
import { createWiseClient, type WiseClient, type WiseClientOptions } from "../src/wise-client.ts";

type CreateRequest = MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>;

/** A running simulator + adapter pair, and the Wise client the adapter calls through. */
export interface AdapterFixture extends AdapterHarness<RemittanceSimulator> {
  wise: WiseClient;
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
  const clock = options.clock ? { clock: options.clock } : {};
  let wise: WiseClient | undefined;
  const harness = await startAdapterHarness(
    () => createRemittanceSimulator({ ...options.simulator, ...clock }),
    (simulator) => {
      wise = createWiseClient({
        baseUrl: options.via?.(simulator.url) ?? simulator.url,
        apiToken: simulator.apiToken,
        profileId: simulator.profileId,
        ...(options.retry ? { retry: options.retry } : {}),
      });
      return createRemittanceProvider({
        client: wise,
        webhookPublicKey: loadTestKeys().webhookPublicKey,
        version: "test",
        ...clock,
      });
    },
  );
  if (wise === undefined) throw new Error("the harness built no provider");
  return { ...harness, wise };
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
  id = newPaymentId(),
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
