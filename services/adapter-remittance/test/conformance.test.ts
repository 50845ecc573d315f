// The remittance adapter against the adapter-kit conformance suite, with its real Wise simulator.
import { randomUUID } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { formatMinorUnits, type ServedAdapter, serveAdapter } from "@paymesh/adapter-kit";
import { runConformanceSuite } from "@paymesh/adapter-kit/conformance";
import type { adapterv1 } from "@paymesh/proto";
import { createRemittanceSimulator, loadTestKeys, type RemittanceSimulator } from "../sandbox/index.ts";
import { createRemittanceProvider } from "../src/remittance-provider.ts";
import { createWiseClient, type WiseClient } from "../src/wise-client.ts";

type CreateRequest = MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>;

let simulator: RemittanceSimulator;
let adapter: ServedAdapter;
let wise: WiseClient;

/** A payment id in the router's format: "pay_" + 26 characters. */
function paymentId(): string {
  return `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
}

/** A fresh IDR→GBP quote made through the Wise client, as a caller's CreateQuote would. */
async function quote(sourceMinorUnits = 1_500_000_00n): Promise<{ id: string; sourceMinorUnits: bigint }> {
  const answer = await wise.createQuote({
    sourceCurrency: "IDR",
    targetCurrency: "GBP",
    sourceAmount: formatMinorUnits(sourceMinorUnits, "IDR"),
  });
  if (!answer.ok) throw new Error(`quote failed: HTTP ${answer.status}`);
  return { id: answer.body.id, sourceMinorUnits };
}

function remittance(
  quoteId: string,
  minorUnits: bigint,
  details: Record<string, string> = { sortCode: "040075", accountNumber: "37778842" },
  currency = "GBP",
): CreateRequest {
  return {
    paymentId: paymentId(),
    amount: { currency: "IDR", minorUnits },
    method: {
      case: "remittance",
      value: {
        quoteId,
        recipient: { currency, type: "sort_code", accountHolderName: "Ann Smith", details },
        reference: "Invoice 42",
      },
    },
  };
}

runConformanceSuite(
  "adapter-remittance",
  async () => {
    simulator = await createRemittanceSimulator();
    wise = createWiseClient({
      baseUrl: simulator.url,
      apiToken: simulator.apiToken,
      profileId: simulator.profileId,
    });
    const provider = createRemittanceProvider({
      client: wise,
      webhookPublicKey: loadTestKeys().webhookPublicKey,
      version: "test",
    });
    adapter = await serveAdapter({ provider });
    const mismatched = await quote(2_000_000_00n);
    const forBadAccount = await quote();
    const forWrongCurrency = await quote();
    return {
      adapterAddress: adapter.address,
      newPayment: async () => {
        const fresh = await quote();
        return remittance(fresh.id, fresh.sourceMinorUnits);
      },
      invalidPayments: [
        {
          name: "a quote Wise does not know",
          request: remittance(randomUUID(), 1_500_000_00n),
          field: "remittance.quote_id",
        },
        {
          name: "a quote id that is not a Wise quote id",
          request: remittance("quote-1", 1_500_000_00n),
          field: "remittance.quote_id",
        },
        {
          name: "an amount other than the quote's source amount",
          request: remittance(mismatched.id, mismatched.sourceMinorUnits + 100n),
          field: "amount",
        },
        {
          name: "a malformed account number Wise rejects field by field",
          request: remittance(forBadAccount.id, forBadAccount.sourceMinorUnits, {
            sortCode: "040075",
            accountNumber: "12",
          }),
          field: "remittance.recipient.details.accountNumber",
        },
        {
          name: "a recipient in a currency other than the quote's target",
          request: remittance(forWrongCurrency.id, forWrongCurrency.sourceMinorUnits, undefined, "EUR"),
          field: "remittance.recipient.currency",
        },
        {
          name: "a QRIS request sent to the remittance adapter",
          request: {
            paymentId: paymentId(),
            amount: { currency: "IDR", minorUnits: 1_500_000_00n },
            method: { case: "qris", value: {} },
          },
          field: "method",
        },
      ],
      chargesMade: async () => simulator.stats().charges,
      webhookFor: async (payment, { forged }) => {
        const webhook = simulator.webhook(
          { transferId: payment.providerReference },
          { path: "/webhooks/remittance", forged },
        );
        return { path: webhook.path, headers: webhook.headers, body: webhook.body };
      },
    };
  },
  async () => {
    await adapter?.shutdown(1_000);
    await simulator?.close();
  },
);
