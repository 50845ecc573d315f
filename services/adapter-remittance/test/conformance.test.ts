// The remittance adapter against the adapter-kit conformance suite, with its real Wise simulator.
import { randomUUID } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { formatMinorUnits } from "@paymesh/adapter-kit";
import { newPaymentId, runConformanceOnHarness } from "@paymesh/adapter-kit/testing";
import type { adapterv1 } from "@paymesh/proto";
import type { WiseClient } from "../src/wise-client.ts";
import { startAdapter } from "./harness.ts";

type CreateRequest = MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema>;

/** A fresh IDR→GBP quote made through the Wise client, as a caller's CreateQuote would. */
async function quote(
  wise: WiseClient,
  sourceMinorUnits = 1_500_000_00n,
): Promise<{ id: string; sourceMinorUnits: bigint }> {
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
    paymentId: newPaymentId(),
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

runConformanceOnHarness(
  "adapter-remittance",
  () => startAdapter(),
  async ({ simulator, wise }) => {
    const mismatched = await quote(wise, 2_000_000_00n);
    const forBadAccount = await quote(wise);
    const forWrongCurrency = await quote(wise);
    return {
      newPayment: async () => {
        const fresh = await quote(wise);
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
            paymentId: newPaymentId(),
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
);
