// The VA adapter against the adapter-kit conformance suite, with its real Midtrans simulator.
import type { ConformanceFixture } from "@paymesh/adapter-kit/conformance";
import { runConformanceOnHarness } from "@paymesh/adapter-kit/testing";
import { VirtualAccountBank } from "@paymesh/proto";
import { startHarness, vaPayment } from "./harness.ts";

const invalidPayments: ConformanceFixture["invalidPayments"] = [
  {
    name: "custom VA number of the wrong length for the bank (BNI takes 8 or 12 digits)",
    request: vaPayment(150_000n, VirtualAccountBank.BNI, { customVaNumber: "1234567890" }),
    field: "virtual_account.custom_va_number",
  },
  {
    name: "IDR amount with non-zero cents (Midtrans charges whole rupiah)",
    request: {
      ...vaPayment(150_000n, VirtualAccountBank.BRI),
      amount: { currency: "IDR", minorUnits: 150_000_50n },
    },
    field: "amount.minor_units",
  },
  {
    name: "bank unspecified",
    request: vaPayment(150_000n, VirtualAccountBank.UNSPECIFIED),
    field: "virtual_account.bank",
  },
  {
    name: "amount below the VA minimum of Rp10.000",
    request: vaPayment(9_999n, VirtualAccountBank.BCA),
    field: "amount.minor_units",
  },
  {
    name: "expiry in the past",
    request: {
      ...vaPayment(150_000n, VirtualAccountBank.PERMATA),
      expiresAt: { seconds: BigInt(Math.floor(Date.now() / 1000) - 60) },
    },
    field: "expires_at",
  },
  {
    name: "a QRIS request sent to the VA adapter",
    request: { ...vaPayment(150_000n), method: { case: "qris", value: {} } },
    field: "method",
  },
];

runConformanceOnHarness(
  "adapter-va",
  () => startHarness(),
  ({ simulator }) => ({
    newPayment: () => ({
      ...vaPayment(150_000n, VirtualAccountBank.BCA, { customerName: "Budi Santoso" }),
      merchantReference: "order-1",
    }),
    invalidPayments,
    chargesMade: async () => simulator.stats().charges,
    webhookFor: async (payment, { forged }) =>
      simulator.webhook(payment.paymentId, { forged, path: "/webhooks/va" }),
    // Midtrans signs inside the body and sends no header but Content-Type, so "unsigned" means the
    // body without its signature_key.
    unsignedWebhook: (signed) => ({ ...signed, body: withoutSignature(signed.body) }),
  }),
);

/** A notification body with its signature_key removed, every other byte as Midtrans sent it. */
function withoutSignature(body: string | Uint8Array): string {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const { signature_key: _removed, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(rest);
}
