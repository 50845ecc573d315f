// The QRIS adapter against the adapter-kit conformance suite, with its real SNAP simulator.
import { newPaymentId, runConformanceOnHarness } from "@paymesh/adapter-kit/testing";
import { startHarness } from "./harness.ts";

/** A QR payment of `minorUnits`; the payment id is fresh on every call. */
function qr(minorUnits: bigint, value: { terminalLabel?: string } = {}) {
  return {
    paymentId: newPaymentId(),
    amount: { currency: "IDR", minorUnits },
    method: { case: "qris" as const, value },
  };
}

runConformanceOnHarness(
  "adapter-qris",
  () => startHarness(),
  ({ simulator }) => ({
    newPayment: () => ({ ...qr(25_000_00n, { terminalLabel: "KASIR-01" }), merchantReference: "order-1" }),
    invalidPayments: [
      {
        name: "terminal label longer than SNAP's 16-character terminalId",
        request: qr(25_000_00n, { terminalLabel: "T".repeat(17) }),
        field: "qris.terminal_label",
      },
      {
        name: "amount above the QRIS limit",
        request: qr(10_000_001_00n),
        field: "amount.minor_units",
      },
      {
        name: "expiry in the past",
        request: { ...qr(10_000_00n), expiresAt: { seconds: BigInt(Math.floor(Date.now() / 1000) - 60) } },
        field: "expires_at",
      },
      {
        name: "a virtual account request sent to the QRIS adapter",
        request: { ...qr(10_000_00n), method: { case: "virtualAccount", value: { bank: 1 } } },
        field: "method",
      },
    ],
    chargesMade: async () => simulator.stats().charges,
    webhookFor: async (payment, { forged }) => {
      const notification = simulator.webhook(
        { partnerReferenceNo: payment.paymentId, referenceNo: payment.providerReference },
        { path: "/webhooks/qris", forged },
      );
      return { path: "/webhooks/qris", headers: notification.headers, body: notification.body };
    },
  }),
);
