// The QRIS adapter against the adapter-kit conformance suite, with its real SNAP simulator.
import { randomUUID } from "node:crypto";
import { runConformanceSuite } from "@paymesh/adapter-kit/conformance";
import { type QrisHarness, startHarness } from "./harness.ts";

let harness: QrisHarness;

/** A payment id in the router's format: "pay_" + 26 base32 characters. */
function paymentId(): string {
  return `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
}

runConformanceSuite(
  "adapter-qris",
  async () => {
    harness = await startHarness();
    const { adapter, simulator } = harness;
    return {
      adapterAddress: adapter.address,
      newPayment: () => ({
        paymentId: paymentId(),
        amount: { currency: "IDR", minorUnits: 25_000_00n },
        method: { case: "qris", value: { terminalLabel: "KASIR-01" } },
        merchantReference: "order-1",
      }),
      invalidPayments: [
        {
          name: "terminal label longer than SNAP's 16-character terminalId",
          request: {
            paymentId: paymentId(),
            amount: { currency: "IDR", minorUnits: 25_000_00n },
            method: { case: "qris", value: { terminalLabel: "T".repeat(17) } },
          },
          field: "qris.terminal_label",
        },
        {
          name: "amount above the QRIS limit",
          request: {
            paymentId: paymentId(),
            amount: { currency: "IDR", minorUnits: 10_000_001_00n },
            method: { case: "qris", value: {} },
          },
          field: "amount.minor_units",
        },
        {
          name: "expiry in the past",
          request: {
            paymentId: paymentId(),
            amount: { currency: "IDR", minorUnits: 10_000_00n },
            method: { case: "qris", value: {} },
            expiresAt: { seconds: BigInt(Math.floor(Date.now() / 1000) - 60) },
          },
          field: "expires_at",
        },
        {
          name: "a virtual account request sent to the QRIS adapter",
          request: {
            paymentId: paymentId(),
            amount: { currency: "IDR", minorUnits: 10_000_00n },
            method: { case: "virtualAccount", value: { bank: 1 } },
          },
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
    };
  },
  async () => {
    await harness?.close();
  },
);
