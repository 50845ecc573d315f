import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HttpExchange } from "@paymesh/adapter-kit";
import { type AdapterHarness, newPaymentId, startAdapterHarness } from "@paymesh/adapter-kit/testing";
import type { adapterv1 } from "@paymesh/proto";
import {
  createTransferSimulator,
  simulatorDefaults,
  type TransferSimulator,
  type TransferSimulatorOptions,
} from "../sandbox/index.ts";
import { createTransferProvider, type TransferProviderOptions } from "../src/provider.ts";
import { createXenditClient, type XenditClientOptions } from "../src/xendit-client.ts";

/**
 * For the adapter's own tests: the real simulator, the provider served over gRPC with
 * serveAdapter, and a gRPC client, so every test goes through the wire the router uses.
 */
export interface Harness extends AdapterHarness<TransferSimulator> {
  /** Every exchange the provider logged, in order (what main.ts would write to stderr). */
  logged: HttpExchange[];
}

/** Starts a harness; options override the simulator, the Xendit client and the provider. */
export async function startHarness(
  options: {
    simulator?: TransferSimulatorOptions;
    xendit?: Partial<XenditClientOptions>;
    provider?: Partial<Omit<TransferProviderOptions, "client" | "onExchange">>;
    /** Keep every exchange in `logged`; off for a test that reads thousands of pages. @default true */
    keepExchanges?: boolean;
  } = {},
): Promise<Harness> {
  const logged: HttpExchange[] = [];
  const harness = await startAdapterHarness(
    () => createTransferSimulator(options.simulator),
    (simulator) =>
      createTransferProvider({
        client: createXenditClient({
          baseUrl: simulator.url,
          secretKey: simulatorDefaults.secretKey,
          // Upstream retries with tiny backoffs, so the 5xx paths run in milliseconds.
          retry: { initialDelayMs: 1, maxDelayMs: 5 },
          ...options.xendit,
        }),
        callbackToken: simulatorDefaults.callbackToken,
        version: "test",
        onExchange: (exchange) => {
          if (options.keepExchanges !== false) logged.push(exchange);
        },
        ...options.provider,
      }),
  );
  return { ...harness, logged };
}

/** Any CreatePayment request, as tests build them. */
export type CreateRequestInit = MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>;

/** A bank transfer CreatePayment request as plain data, so tests can spread and vary it. */
export interface TransferRequestInit {
  paymentId: string;
  amount: { currency: string; minorUnits: bigint };
  method: {
    case: "bankTransfer";
    value: { bankCode: string; accountNumber: string; accountHolderName: string };
  };
  description: string;
}

/** A valid bank transfer CreatePayment request; override the amount (whole rupiah) or the method. */
export function transferRequest(
  overrides: { rupiah?: bigint; bankCode?: string; accountNumber?: string; accountHolderName?: string } = {},
): TransferRequestInit {
  return {
    paymentId: newPaymentId(),
    amount: { currency: "IDR", minorUnits: (overrides.rupiah ?? 150_000n) * 100n },
    method: {
      case: "bankTransfer",
      value: {
        bankCode: overrides.bankCode ?? "BCA",
        accountNumber: overrides.accountNumber ?? "1234567890",
        accountHolderName: overrides.accountHolderName ?? "Budi Santoso",
      },
    },
    description: "Refund order 42",
  };
}
