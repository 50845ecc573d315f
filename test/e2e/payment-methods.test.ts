import { waitFor } from "@paymesh/test-kit";
// Every payment method end to end through one router: QRIS, virtual accounts, bank transfers and
// remittances, each with its adapter and simulator as real processes, called with a plain grpc-js
// client built from the .proto files. Completion always arrives the way it does in production:
// the simulator acts, sends its signed webhook, and the router applies what the adapter verified.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoFromMetadata, rejection } from "../support/error-details.ts";
import { type AdapterName, type FullStack, startFullStack } from "../support/full-stack.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";

/**
 * A payment as proto-loader decodes it, with the parts the other methods add. With `defaults`, an
 * absent message field is null on the wire object.
 */
type Payment = Omit<PlainPayment, "customerAction" | "failure"> & {
  customerAction: {
    qris?: { qrString: string };
    virtualAccount?: { bank: string; vaNumber: string };
  } | null;
  failure: { reason: string; providerCode: string; message: string } | null;
};

interface Quote {
  id: string;
  sourceAmount: { currency: string; minorUnits: string };
  targetAmount: { currency: string; minorUnits: string };
  rate: string;
  fees: Array<{ type: string; amount: { currency: string; minorUnits: string } }>;
  expiresAt?: { seconds: string };
  adapter: string;
  providerReference: string;
}

/** The parts of a Midtrans transaction view that carry the VA number. */
interface MidtransView {
  va_numbers?: Array<{ bank: string; va_number: string }>;
  permata_va_number?: string;
}

/** A webhook a simulator built without sending it. */
interface BuiltWebhook {
  headers: Record<string, string>;
  body: string;
}

let stack: FullStack;
let client: ReturnType<typeof plainPaymentClient>;

beforeAll(async () => {
  stack = await startFullStack();
  client = plainPaymentClient(stack.routerGrpc, TEST_TOKEN);
});
afterAll(async () => {
  client?.close();
  await stack?.stop();
});

const control = <T>(adapter: AdapterName, path: string, body?: unknown): Promise<T> =>
  simulatorControl<T>(stack.simulators[adapter], path, body);
const stats = (adapter: AdapterName) => control<{ charges: number }>(adapter, "/sim/stats");
/** Wise's simulator also counts fundings: money that really left the balance. */
const wiseStats = () => control<{ charges: number; fundings: number }>("remittance", "/sim/stats");

const createPayment = async (request: Record<string, unknown>): Promise<Payment> =>
  (await client.call<{ payment: Payment }>("CreatePayment", request)).payment;
const getPayment = async (paymentId: string): Promise<Payment> =>
  (await client.call<{ payment: Payment }>("GetPayment", { paymentId })).payment;
/** Polls the router until the payment reaches `status` (set by a verified webhook). */
const reaches = (paymentId: string, status: string): Promise<Payment> =>
  waitFor(
    async () => {
      const payment = await getPayment(paymentId);
      return payment.status === status ? payment : undefined;
    },
    10_000,
    `${paymentId} to reach ${status}`,
  );

const idr = (rupiah: bigint) => ({ currency: "IDR", minorUnits: String(rupiah * 100n) });

const qrisRequest = (key: string, amount = idr(25_000n)) => ({
  idempotencyKey: key,
  amount,
  qris: { terminalLabel: "KASIR-01" },
  merchantReference: `order-${key}`,
});

const vaRequest = (key: string, bank: string, rupiah = 150_000n) => ({
  idempotencyKey: key,
  amount: idr(rupiah),
  virtualAccount: { bank, customerName: "Budi Santoso" },
  merchantReference: `invoice-${key}`,
});

const transferRequest = (key: string, accountNumber = "1234567890", rupiah = 250_000n) => ({
  idempotencyKey: key,
  amount: idr(rupiah),
  bankTransfer: { bankCode: "BCA", accountNumber, accountHolderName: "Budi Santoso" },
  merchantReference: `refund-${key}`,
});

async function idrToGbpQuote(sourceMinorUnits: bigint): Promise<Quote> {
  const { quote } = await client.call<{ quote: Quote }>("CreateQuote", {
    sourceCurrency: "IDR",
    targetCurrency: "GBP",
    sourceAmount: { currency: "IDR", minorUnits: String(sourceMinorUnits) },
  });
  return quote;
}

const remittanceRequest = (key: string, quote: Quote, accountNumber = "37778842") => ({
  idempotencyKey: key,
  amount: quote.sourceAmount,
  remittance: {
    quoteId: quote.id,
    recipient: {
      currency: "GBP",
      type: "sort_code",
      accountHolderName: "Ann Smith",
      details: { sortCode: "040075", accountNumber },
    },
    reference: "Invoice 42",
  },
});

/** `minorUnits` converted at a decimal rate, rounded down; both currencies have exponent 2 here. */
function convertedAt(rate: string, minorUnits: bigint): bigint {
  const [whole = "0", fraction = ""] = rate.split(".");
  return (minorUnits * BigInt(`${whole}${fraction}`)) / 10n ** BigInt(fraction.length);
}

describe("QRIS", () => {
  it("shows a dynamic QR, and ends SUCCEEDED once the customer pays and the bank notifies", async () => {
    const before = await stats("qris");
    const payment = await createPayment(qrisRequest("methods-qris-pay"));
    expect(payment).toMatchObject({ status: "PAYMENT_STATUS_REQUIRES_ACTION", adapter: "qris" });
    const qr = payment.customerAction?.qris?.qrString ?? "";
    expect(qr.startsWith("000201010212")).toBe(true); // point of initiation 12: dynamic
    expect(qr).toContain("540525000"); // tag 54, length 05, Rp25.000
    expect((await stats("qris")).charges).toBe(before.charges + 1);

    const paid = await control<{ notified: number | null }>("qris", "/sim/pay", {
      partnerReferenceNo: payment.id,
    });
    expect(paid.notified).toBe(200);
    const settled = await reaches(payment.id, "PAYMENT_STATUS_SUCCEEDED");
    expect(settled.providerReference).toBe(payment.providerReference);
  });

  it("ends FAILED with INSUFFICIENT_FUNDS when the bank declines (magic Rp666), and creates no QR", async () => {
    const before = await stats("qris");
    const payment = await createPayment(
      qrisRequest("methods-qris-decline", { currency: "IDR", minorUnits: "66600" }),
    );
    expect(payment.status).toBe("PAYMENT_STATUS_FAILED");
    expect(payment.failure).toMatchObject({
      reason: "ERROR_REASON_INSUFFICIENT_FUNDS",
      providerCode: "4034714",
    });
    expect(payment.customerAction).toBeNull();
    expect((await getPayment(payment.id)).status).toBe("PAYMENT_STATUS_FAILED");
    expect((await stats("qris")).charges).toBe(before.charges);
  });
});

describe("virtual account", () => {
  // Midtrans answers BCA/BNI/BRI with va_numbers[0] and Permata with a flat permata_va_number.
  it.each([
    { bank: "VIRTUAL_ACCOUNT_BANK_BCA", issued: (body: MidtransView) => body.va_numbers?.[0]?.va_number },
    { bank: "VIRTUAL_ACCOUNT_BANK_PERMATA", issued: (body: MidtransView) => body.permata_va_number },
  ])(
    "$bank: shows the VA number Midtrans issued, and ends SUCCEEDED once it is paid",
    async ({ bank, issued }) => {
      const before = await stats("va");
      const payment = await createPayment(vaRequest(`methods-va-${bank}`, bank));
      expect(payment).toMatchObject({ status: "PAYMENT_STATUS_REQUIRES_ACTION", adapter: "va" });
      expect((await stats("va")).charges).toBe(before.charges + 1);

      // The number the caller sees is the one Midtrans holds for this order, whatever its answer shape.
      const notice = await control<BuiltWebhook>("va", "/sim/webhook", { order_id: payment.id });
      const vaNumber = issued(JSON.parse(notice.body) as MidtransView);
      expect(vaNumber).toMatch(/^\d{10,18}$/);
      expect(payment.customerAction?.virtualAccount).toEqual({ bank, vaNumber });

      const paid = await control<{ transaction_status: string; notified: number | null }>("va", "/sim/pay", {
        order_id: payment.id,
      });
      expect(paid).toMatchObject({ transaction_status: "settlement", notified: 200 });
      const settled = await reaches(payment.id, "PAYMENT_STATUS_SUCCEEDED");
      expect(settled.providerReference).toBe(payment.providerReference);
    },
  );

  it("ends FAILED with PROVIDER_DECLINED when Midtrans denies the charge (magic Rp10.202), issuing no VA", async () => {
    const before = await stats("va");
    const payment = await createPayment(vaRequest("methods-va-deny", "VIRTUAL_ACCOUNT_BANK_BNI", 10_202n));
    expect(payment.status).toBe("PAYMENT_STATUS_FAILED");
    expect(payment.failure).toMatchObject({ reason: "ERROR_REASON_PROVIDER_DECLINED", providerCode: "202" });
    expect(payment.customerAction).toBeNull();
    expect((await getPayment(payment.id)).status).toBe("PAYMENT_STATUS_FAILED");
    expect((await stats("va")).charges).toBe(before.charges);
  });
});

describe("bank transfer", () => {
  it("is PROCESSING while the money moves, and SUCCEEDED once Xendit completes the payout", async () => {
    const before = await stats("transfer");
    const payment = await createPayment(transferRequest("methods-transfer-pay"));
    expect(payment).toMatchObject({ status: "PAYMENT_STATUS_PROCESSING", adapter: "transfer" });
    expect(payment.customerAction).toBeNull();
    expect((await stats("transfer")).charges).toBe(before.charges + 1);

    const completed = await control<{ status: string; notified: number | null }>(
      "transfer",
      "/sim/complete",
      {
        external_id: payment.id,
      },
    );
    expect(completed).toMatchObject({ status: "COMPLETED", notified: 200 });
    const settled = await reaches(payment.id, "PAYMENT_STATUS_SUCCEEDED");
    expect(settled.providerReference).toBe(payment.providerReference);
  });

  it("ends FAILED with INSUFFICIENT_FUNDS when the payout fails for our balance (account …101)", async () => {
    const payment = await createPayment(transferRequest("methods-transfer-balance", "9999999101"));
    expect(payment.status).toBe("PAYMENT_STATUS_PROCESSING");
    const failed = await control<{ status: string; failure_code: string }>("transfer", "/sim/complete", {
      external_id: payment.id,
    });
    expect(failed).toMatchObject({ status: "FAILED", failure_code: "INSUFFICIENT_BALANCE" });
    const after = await reaches(payment.id, "PAYMENT_STATUS_FAILED");
    expect(after.failure).toMatchObject({
      reason: "ERROR_REASON_INSUFFICIENT_FUNDS",
      providerCode: "INSUFFICIENT_BALANCE",
    });
  });

  it("refuses a payout above the bank's maximum (magic Rp10.404) with LIMIT_EXCEEDED, creating nothing", async () => {
    const before = await stats("transfer");
    const error = await rejection(
      createPayment(transferRequest("methods-transfer-limit", "1234567890", 10_404n)),
    );
    expect(error.code).toBe(9); // FAILED_PRECONDITION
    expect(errorInfoFromMetadata(error.metadata)).toMatchObject({
      reason: "LIMIT_EXCEEDED",
      domain: "paymesh.dev",
      metadata: { field: "amount.minor_units", provider_code: "MAXIMUM_TRANSFER_LIMIT_ERROR" },
    });
    expect((await stats("transfer")).charges).toBe(before.charges);
  });
});

describe("remittance", () => {
  it("locks a quote with a decimal rate and itemized fees that add up", async () => {
    const quote = await idrToGbpQuote(1_500_000_00n);
    expect(quote.adapter).toBe("remittance");
    expect(quote.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(quote.sourceAmount).toEqual({ currency: "IDR", minorUnits: "150000000" });
    expect(quote.targetAmount.currency).toBe("GBP");
    expect(quote.rate).toMatch(/^\d+\.\d+$/);
    expect(quote.fees.length).toBeGreaterThan(0);
    for (const fee of quote.fees) {
      expect(fee.type).toMatch(/^(transferwise|payIn|partner|discount)$/);
      expect(fee.amount.currency).toBe("IDR");
    }
    // The fee comes off first and the rest converts at the quoted rate, to the penny.
    const fees = quote.fees.reduce((sum, fee) => sum + BigInt(fee.amount.minorUnits), 0n);
    expect(fees).toBeGreaterThan(0n);
    expect(BigInt(quote.targetAmount.minorUnits)).toBe(convertedAt(quote.rate, 1_500_000_00n - fees));
    expect(Number(quote.expiresAt?.seconds ?? "0") * 1000).toBeGreaterThan(Date.now());
  });

  it("sends at the quote, funds it once, and ends SUCCEEDED when Wise pays out", async () => {
    const quote = await idrToGbpQuote(1_500_000_00n);
    const before = await wiseStats();
    const payment = await createPayment(remittanceRequest("methods-remit-pay", quote));
    expect(payment).toMatchObject({
      status: "PAYMENT_STATUS_PROCESSING",
      adapter: "remittance",
      amount: { currency: "IDR", minorUnits: "150000000" },
    });
    expect(payment.providerReference).not.toBe("");
    expect(await wiseStats()).toMatchObject({ charges: before.charges + 1, fundings: before.fundings + 1 });

    const advanced = await control<{ state: string }>("remittance", "/sim/advance", {
      transferId: payment.providerReference,
      to: "complete",
    });
    expect(advanced.state).toBe("outgoing_payment_sent");
    await reaches(payment.id, "PAYMENT_STATUS_SUCCEEDED");
  });

  it("ends FAILED with INSUFFICIENT_FUNDS when funding from the balance is rejected (magic 66666.66), moving no money", async () => {
    const quote = await idrToGbpQuote(66_666_66n);
    const before = await wiseStats();
    const payment = await createPayment(remittanceRequest("methods-remit-funds", quote));
    expect(payment.status).toBe("PAYMENT_STATUS_FAILED");
    expect(payment.failure).toMatchObject({
      reason: "ERROR_REASON_INSUFFICIENT_FUNDS",
      providerCode: "transfer.insufficient_funds",
    });
    // The transfer was created (and then cancelled by the adapter), but never funded.
    expect(await wiseStats()).toMatchObject({ charges: before.charges + 1, fundings: before.fundings });
    expect((await getPayment(payment.id)).status).toBe("PAYMENT_STATUS_FAILED");
  });

  it("ends FAILED with PROVIDER_DECLINED when Wise refunds instead of paying out (account …9001)", async () => {
    const quote = await idrToGbpQuote(1_500_000_00n);
    const payment = await createPayment(remittanceRequest("methods-remit-refund", quote, "37779001"));
    expect(payment.status).toBe("PAYMENT_STATUS_PROCESSING");
    const advanced = await control<{ state: string }>("remittance", "/sim/advance", {
      transferId: payment.providerReference,
      to: "complete",
    });
    expect(advanced.state).toBe("funds_refunded");
    const after = await reaches(payment.id, "PAYMENT_STATUS_FAILED");
    expect(after.failure).toMatchObject({
      reason: "ERROR_REASON_PROVIDER_DECLINED",
      providerCode: "funds_refunded",
    });
  });

  it("refuses a payment at an expired quote with FAILED_PRECONDITION QUOTE_EXPIRED, creating no transfer", async () => {
    const quote = await idrToGbpQuote(1_500_000_00n);
    await control("remittance", "/sim/expire-quote", { quoteId: quote.id });
    const before = await stats("remittance");
    const error = await rejection(createPayment(remittanceRequest("methods-remit-expired", quote)));
    expect(error.code).toBe(9); // FAILED_PRECONDITION
    expect(errorInfoFromMetadata(error.metadata)).toMatchObject({
      reason: "QUOTE_EXPIRED",
      domain: "paymesh.dev",
      metadata: { field: "remittance.quote_id" },
    });
    expect((await stats("remittance")).charges).toBe(before.charges);
  });
});

describe("webhook ingress", () => {
  it("answers 404 for an adapter the router does not know", async () => {
    const response = await fetch(`${stack.routerHttp}/webhooks/no-such-adapter`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "COMPLETED" }),
    });
    expect(response.status).toBe(404);
  });

  // Each forgery is signed with a key (or carries a token) the adapter does not trust, and is
  // rewritten to claim the payment succeeded.
  const forgeries: Array<{
    adapter: AdapterName;
    create(): Promise<Payment>;
    lookup(payment: Payment): Record<string, string>;
    claimSuccess(body: Record<string, unknown>): Record<string, unknown>;
  }> = [
    {
      adapter: "va",
      create: () => createPayment(vaRequest("methods-forged-va", "VIRTUAL_ACCOUNT_BANK_BRI")),
      lookup: (payment) => ({ order_id: payment.id }),
      claimSuccess: (body) => ({ ...body, transaction_status: "settlement", status_code: "200" }),
    },
    {
      adapter: "transfer",
      create: () => createPayment(transferRequest("methods-forged-transfer")),
      lookup: (payment) => ({ external_id: payment.id }),
      claimSuccess: (body) => ({ ...body, status: "COMPLETED" }),
    },
    {
      adapter: "remittance",
      create: async () =>
        createPayment(remittanceRequest("methods-forged-remit", await idrToGbpQuote(1_500_000_00n))),
      lookup: (payment) => ({ transferId: payment.providerReference }),
      claimSuccess: (body) => ({
        ...body,
        data: { ...(body.data as object), current_state: "outgoing_payment_sent" },
      }),
    },
  ];

  it.each(forgeries)(
    "$adapter: answers 401 to a forged notification and leaves the payment as it was",
    async ({ adapter, create, lookup, claimSuccess }) => {
      const payment = await create();
      expect(["PAYMENT_STATUS_REQUIRES_ACTION", "PAYMENT_STATUS_PROCESSING"]).toContain(payment.status);
      const forged = await control<BuiltWebhook>(adapter, "/sim/webhook", {
        ...lookup(payment),
        forged: true,
        path: `/webhooks/${adapter}`,
      });
      const claimed = JSON.stringify(claimSuccess(JSON.parse(forged.body) as Record<string, unknown>));
      for (const body of [forged.body, claimed]) {
        const response = await fetch(`${stack.routerHttp}/webhooks/${adapter}`, {
          method: "POST",
          headers: forged.headers,
          body,
        });
        expect(response.status).toBe(401);
      }
      // The same notification, genuinely signed, is accepted: the 401s were the forgery's doing.
      const genuine = await control<BuiltWebhook>(adapter, "/sim/webhook", {
        ...lookup(payment),
        path: `/webhooks/${adapter}`,
      });
      const accepted = await fetch(`${stack.routerHttp}/webhooks/${adapter}`, {
        method: "POST",
        headers: genuine.headers,
        body: genuine.body,
      });
      expect(accepted.status).toBe(200);
      const after = await getPayment(payment.id);
      expect(after.status).toBe(payment.status);
      expect(after.failure).toBeNull();
      expect(after.providerReference).toBe(payment.providerReference);
    },
  );
});
