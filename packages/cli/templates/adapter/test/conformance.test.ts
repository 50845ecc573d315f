// The adapter against the adapter-kit conformance suite, with its own simulator behind it.
import { runConformanceSuite } from "@paymesh/adapter-kit/conformance";
import { VirtualAccountBank } from "@paymesh/proto";
import { type Harness, startHarness, vaPayment } from "./harness.ts";

/** The router's webhook path for this adapter: `/webhooks/<adapter name>`. */
const WEBHOOK_PATH = "/webhooks/__name__";

let harness: Harness | undefined;

runConformanceSuite(
  "adapter-__name__",
  async () => {
    harness = await startHarness();
    const { simulator } = harness;
    return {
      adapterAddress: harness.adapter.address,
      newPayment: () => vaPayment(),
      invalidPayments: [
        {
          name: "a customer name over the provider's 40 characters (the provider refuses it)",
          request: vaPayment({ customerName: "N".repeat(41) }),
          field: "virtual_account.customer_name",
        },
        {
          name: "an amount with cents (the provider takes whole rupiah only)",
          request: vaPayment({ minorUnits: 150_000_50n }),
          field: "amount.minor_units",
        },
        {
          name: "no bank (the adapter refuses it before calling the provider)",
          request: vaPayment({ bank: VirtualAccountBank.UNSPECIFIED }),
          field: "virtual_account.bank",
        },
        {
          name: "a QRIS request sent to this virtual account adapter",
          request: { ...vaPayment(), method: { case: "qris", value: {} } },
          field: "method",
        },
      ],
      chargesMade: async () => simulator.stats().charges,
      webhookFor: async (payment, { forged }) => ({
        path: WEBHOOK_PATH,
        ...simulator.webhook(payment.paymentId, { forged }),
      }),
    };
  },
  async () => {
    await harness?.close();
  },
);
