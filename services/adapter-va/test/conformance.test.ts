// The VA adapter against the adapter-kit conformance suite, with its real Midtrans simulator.
import { randomUUID } from "node:crypto";
import { type ServedAdapter, serveAdapter } from "@paymesh/adapter-kit";
import { type ConformanceFixture, runConformanceSuite } from "@paymesh/adapter-kit/conformance";
import { VirtualAccountBank } from "@paymesh/proto";
import { createVaSimulator, simulatorDefaults, type VaSimulator } from "../sandbox/index.ts";
import { createMidtransClient } from "../src/midtrans-client.ts";
import { createMidtransVaProvider } from "../src/provider.ts";

let simulator: VaSimulator;
let adapter: ServedAdapter;

/** A payment id in the router's format: "pay_" + 26 characters. */
function paymentId(): string {
  return `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
}

const amount = { currency: "IDR", minorUnits: 150_000_00n };

const invalidPayments: ConformanceFixture["invalidPayments"] = [
  {
    name: "custom VA number of the wrong length for the bank (BNI takes 8 or 12 digits)",
    request: {
      paymentId: paymentId(),
      amount,
      method: {
        case: "virtualAccount",
        value: { bank: VirtualAccountBank.BNI, customVaNumber: "1234567890" },
      },
    },
    field: "virtual_account.custom_va_number",
  },
  {
    name: "IDR amount with non-zero cents (Midtrans charges whole rupiah)",
    request: {
      paymentId: paymentId(),
      amount: { currency: "IDR", minorUnits: 150_000_50n },
      method: { case: "virtualAccount", value: { bank: VirtualAccountBank.BRI } },
    },
    field: "amount.minor_units",
  },
  {
    name: "bank unspecified",
    request: {
      paymentId: paymentId(),
      amount,
      method: { case: "virtualAccount", value: { bank: VirtualAccountBank.UNSPECIFIED } },
    },
    field: "virtual_account.bank",
  },
  {
    name: "amount below the VA minimum of Rp10.000",
    request: {
      paymentId: paymentId(),
      amount: { currency: "IDR", minorUnits: 9_999_00n },
      method: { case: "virtualAccount", value: { bank: VirtualAccountBank.BCA } },
    },
    field: "amount.minor_units",
  },
  {
    name: "expiry in the past",
    request: {
      paymentId: paymentId(),
      amount,
      method: { case: "virtualAccount", value: { bank: VirtualAccountBank.PERMATA } },
      expiresAt: { seconds: BigInt(Math.floor(Date.now() / 1000) - 60) },
    },
    field: "expires_at",
  },
  {
    name: "a QRIS request sent to the VA adapter",
    request: { paymentId: paymentId(), amount, method: { case: "qris", value: {} } },
    field: "method",
  },
];

runConformanceSuite(
  "adapter-va",
  async () => {
    simulator = await createVaSimulator();
    const provider = createMidtransVaProvider({
      client: createMidtransClient({ baseUrl: simulator.url, serverKey: simulatorDefaults.serverKey }),
      serverKey: simulatorDefaults.serverKey,
      version: "test",
    });
    adapter = await serveAdapter({ provider });
    const fixture: ConformanceFixture = {
      adapterAddress: adapter.address,
      newPayment: () => ({
        paymentId: paymentId(),
        amount,
        method: {
          case: "virtualAccount",
          value: { bank: VirtualAccountBank.BCA, customerName: "Budi Santoso" },
        },
        merchantReference: "order-1",
      }),
      invalidPayments,
      chargesMade: async () => simulator.stats().charges,
      webhookFor: async (payment, { forged }) =>
        simulator.webhook(payment.paymentId, { forged, path: "/webhooks/va" }),
      // Midtrans signs inside the body and sends no header but Content-Type, so "unsigned" means the
      // body without its signature_key.
      unsignedWebhook: (signed) => ({ ...signed, body: withoutSignature(signed.body) }),
    };
    return fixture;
  },
  async () => {
    await adapter?.shutdown(1_000);
    await simulator?.close();
  },
);

/** A notification body with its signature_key removed, every other byte as Midtrans sent it. */
function withoutSignature(body: string | Uint8Array): string {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const { signature_key: _removed, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(rest);
}
