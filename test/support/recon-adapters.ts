// Each of the four adapters as the reconciler meets it: its provider simulator on a test clock,
// the real adapter served over gRPC in front of it, and the terms the simulator declares its
// reports are reconciled by. A payment made here went through the adapter to the simulator, which
// settles it (or lets it end unpaid) the way its provider would.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  type AdapterClient,
  type AdapterHarness,
  deadline,
  newPaymentId,
  startAdapterHarness,
} from "@paymesh/adapter-kit/testing";
import { createQrisProvider, createSnapQrClient, loadConfig } from "@paymesh/adapter-qris";
import * as qrisSandbox from "@paymesh/adapter-qris/sandbox";
import { createRemittanceProvider, createWiseClient } from "@paymesh/adapter-remittance";
import * as remittanceSandbox from "@paymesh/adapter-remittance/sandbox";
import { createTransferProvider, createXenditClient } from "@paymesh/adapter-transfer";
import * as transferSandbox from "@paymesh/adapter-transfer/sandbox";
import { createMidtransClient, createMidtransVaProvider } from "@paymesh/adapter-va";
import * as vaSandbox from "@paymesh/adapter-va/sandbox";
import { type adapterv1, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";

type Method = NonNullable<MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>["method"]>;

/** A payment made through an adapter, as the router would have recorded it. */
export interface MadePayment {
  paymentId: string;
  providerReference: string;
  amount: { currency: string; minorUnits: bigint };
  /** The status its provider's last word gave it. */
  status: PaymentStatus;
}

/** One adapter in front of its simulator. */
export interface ReconHarness {
  /** The adapter's gRPC address. */
  address: string;
  simulatorUrl: string;
  /**
   * The n-th (from 0) payment the provider settles. Where a fee is a share of the amount, the
   * amounts need rounding, the way the provider rounds it, so the declared rounding is checked.
   */
  settled(n: number): Promise<MadePayment>;
  /** A payment that ends without money moving: expired, cancelled or failed. */
  unsettled(): Promise<MadePayment>;
  close(): Promise<void>;
}

/** An adapter the reconciler reads: how to start it, and the terms its simulator declares. */
export interface ReconAdapter {
  name: "qris" | "va" | "transfer" | "remittance";
  terms: typeof vaSandbox.settlementTerms;
  /** Whether its report declares batch totals (a trailer) a discrepancy can get wrong. */
  batchTotals: boolean;
  start(clock: () => Date): Promise<ReconHarness>;
}

/** Creates the payment through the adapter as the router does, and keeps what the router would. */
async function create(
  client: AdapterClient,
  amount: MadePayment["amount"],
  method: Method,
): Promise<Omit<MadePayment, "status">> {
  const paymentId = newPaymentId();
  const created = await client.createPayment({ paymentId, amount, method }, deadline());
  return { paymentId, providerReference: created.payment?.providerReference ?? "", amount };
}

const rupiah = (whole: bigint) => ({ currency: "IDR", minorUnits: whole * 100n });

/** The reconciler's harness around an adapter harness: where it listens, and its payments. */
function reconHarness(
  harness: AdapterHarness<{ url: string; close(): Promise<void> }>,
  payments: Pick<ReconHarness, "settled" | "unsettled">,
): ReconHarness {
  return {
    address: harness.adapter.address,
    simulatorUrl: harness.simulator.url,
    ...payments,
    close: () => harness.close(),
  };
}

export const RECON_ADAPTERS: readonly ReconAdapter[] = [
  {
    name: "qris",
    terms: qrisSandbox.settlementTerms,
    batchTotals: true,
    async start(clock) {
      const config = (url: string) => loadConfig(qrisSandbox.adapterEnv(url));
      const harness = await startAdapterHarness(
        () => qrisSandbox.createQrisSimulator({ clock }),
        (simulator) =>
          createQrisProvider({
            client: createSnapQrClient({ ...config(simulator.url).snap, clock }),
            bankPublicKey: config(simulator.url).bankPublicKey,
            version: "test",
            clock,
          }),
      );
      const qr = { case: "qris", value: { terminalLabel: "KASIR-01" } } as const;
      return reconHarness(harness, {
        // Rp25.000 and up: 0.7% MDR of Rp175, PPN on it of Rp19.25, which the acquirer writes as Rp19.
        async settled(n) {
          const payment = await create(harness.client, rupiah(25_000n + 1_000n * BigInt(n)), qr);
          await harness.simulator.pay({ partnerReferenceNo: payment.paymentId });
          return { ...payment, status: PaymentStatus.SUCCEEDED };
        },
        async unsettled() {
          const payment = await create(harness.client, rupiah(33_000n), qr);
          await harness.client.cancelPayment({ paymentId: payment.paymentId }, deadline());
          return { ...payment, status: PaymentStatus.CANCELED };
        },
      });
    },
  },
  {
    name: "va",
    terms: vaSandbox.settlementTerms,
    batchTotals: true,
    async start(clock) {
      const { serverKey } = vaSandbox.simulatorDefaults;
      const harness = await startAdapterHarness(
        () => vaSandbox.createVaSimulator({ clock }),
        (simulator) =>
          createMidtransVaProvider({
            client: createMidtransClient({ baseUrl: simulator.url, serverKey, clock }),
            serverKey,
            version: "test",
            clock,
          }),
      );
      const va = { case: "virtualAccount", value: { bank: VirtualAccountBank.BCA } } as const;
      return reconHarness(harness, {
        async settled(n) {
          const payment = await create(harness.client, rupiah(10_000n + 1_000n * BigInt(n)), va);
          await harness.simulator.pay(payment.paymentId);
          return { ...payment, status: PaymentStatus.SUCCEEDED };
        },
        async unsettled() {
          const payment = await create(harness.client, rupiah(18_000n), va);
          await harness.simulator.expire(payment.paymentId);
          return { ...payment, status: PaymentStatus.EXPIRED };
        },
      });
    },
  },
  {
    name: "transfer",
    terms: transferSandbox.settlementTerms,
    batchTotals: false,
    async start(clock) {
      const { secretKey, callbackToken } = transferSandbox.simulatorDefaults;
      const harness = await startAdapterHarness(
        () => transferSandbox.createTransferSimulator({ clock }),
        (simulator) =>
          createTransferProvider({
            client: createXenditClient({ baseUrl: simulator.url, secretKey }),
            callbackToken,
            version: "test",
          }),
      );
      const payout = async (whole: bigint, status: "COMPLETED" | "FAILED") => {
        const payment = await create(harness.client, rupiah(whole), {
          case: "bankTransfer",
          value: { bankCode: "BCA", accountNumber: "1234567890", accountHolderName: "Budi Santoso" },
        });
        await harness.simulator.complete({ id: payment.providerReference }, { status });
        return payment;
      };
      return reconHarness(harness, {
        settled: async (n) => ({
          ...(await payout(100_000n + 10_000n * BigInt(n), "COMPLETED")),
          status: PaymentStatus.SUCCEEDED,
        }),
        unsettled: async () => ({ ...(await payout(180_000n, "FAILED")), status: PaymentStatus.FAILED }),
      });
    },
  },
  {
    name: "remittance",
    terms: remittanceSandbox.settlementTerms,
    batchTotals: false,
    async start(clock) {
      const harness = await startAdapterHarness(
        () => remittanceSandbox.createRemittanceSimulator({ clock }),
        (simulator) =>
          createRemittanceProvider({
            client: createWiseClient({
              baseUrl: simulator.url,
              apiToken: simulator.apiToken,
              profileId: simulator.profileId,
            }),
            webhookPublicKey: remittanceSandbox.loadTestKeys().webhookPublicKey,
            version: "test",
            clock,
          }),
      );
      // A transfer to a GBP account, funded from the IDR balance when it is created.
      const transfer = async (sourceMinorUnits: bigint) => {
        const { quote } = await harness.client.createQuote({
          sourceCurrency: "IDR",
          targetCurrency: "GBP",
          amount: { case: "sourceAmount", value: { currency: "IDR", minorUnits: sourceMinorUnits } },
        });
        return create(
          harness.client,
          { currency: "IDR", minorUnits: quote?.sourceAmount?.minorUnits ?? 0n },
          {
            case: "remittance",
            value: {
              quoteId: quote?.id ?? "",
              recipient: {
                currency: "GBP",
                type: "sort_code",
                accountHolderName: "Ann Smith",
                details: { sortCode: "040075", accountNumber: "37778842" },
              },
              reference: "Invoice 42",
            },
          },
        );
      };
      return reconHarness(harness, {
        // Rp1.234.567, Rp1.334.567, …: Wise's 0.45% of each is rounded up to the sen.
        settled: async (n) => ({
          ...(await transfer(1_234_567_00n + 100_000_00n * BigInt(n))),
          status: PaymentStatus.SUCCEEDED,
        }),
        async unsettled() {
          // The simulator refuses to fund this amount; the transfer is then cancelled unfunded.
          const payment = await transfer(6_666_666n);
          await harness.client.cancelPayment(
            { paymentId: payment.paymentId, providerReference: payment.providerReference },
            deadline(),
          );
          return { ...payment, status: PaymentStatus.CANCELED };
        },
      });
    },
  },
];
