// The transfer adapter against the adapter-kit conformance suite, with its real Xendit simulator.
import { newPaymentId, runConformanceOnHarness } from "@paymesh/adapter-kit/testing";
import { startHarness } from "./harness.ts";

/** A bank transfer of `rupiah` to a BCA account; the payment id is fresh on every call. */
function payout(rupiah: bigint, method: { bankCode?: string; accountNumber?: string } = {}) {
  return {
    paymentId: newPaymentId(),
    amount: { currency: "IDR", minorUnits: rupiah * 100n },
    method: {
      case: "bankTransfer" as const,
      value: {
        bankCode: method.bankCode ?? "BCA",
        accountNumber: method.accountNumber ?? "1234567890",
        accountHolderName: "Budi Santoso",
      },
    },
    merchantReference: "refund-1",
  };
}

runConformanceOnHarness(
  "adapter-transfer",
  () => startHarness(),
  ({ simulator }) => ({
    newPayment: () => payout(250_000n),
    invalidPayments: [
      {
        name: "unknown bank code",
        request: payout(250_000n, { bankCode: "BANKX" }),
        field: "bank_transfer.bank_code",
      },
      {
        name: "malformed account number",
        request: payout(250_000n, { accountNumber: "12AB56789X" }),
        field: "bank_transfer.account_number",
      },
      {
        name: "account number of the wrong length for the bank",
        request: payout(250_000n, { bankCode: "MANDIRI", accountNumber: "1234567890" }),
        field: "bank_transfer.account_number",
      },
      {
        name: "amount above the Describe limit",
        request: payout(100_000_001n),
        field: "amount.minor_units",
      },
      {
        name: "IDR amount with cents (Xendit pays whole rupiah)",
        request: { ...payout(250_000n), amount: { currency: "IDR", minorUnits: 25_000_050n } },
        field: "amount.minor_units",
      },
      {
        name: "a QRIS request sent to the transfer adapter",
        request: { ...payout(250_000n), method: { case: "qris", value: {} } },
        field: "method",
      },
    ],
    chargesMade: async () => simulator.stats().charges,
    webhookFor: async (payment, { forged }) => {
      const callback = simulator.webhook(
        { id: payment.providerReference },
        { path: "/webhooks/transfer", forged },
      );
      return { path: callback.path, headers: callback.headers, body: callback.body };
    },
  }),
);
