// Bad input at every layer of the mesh, through one router with all four adapters and their
// simulators as real processes. Every refusal is INVALID_ARGUMENT or FAILED_PRECONDITION with the
// unified reason and the field at fault in google.rpc.ErrorInfo, and no provider charges anyone.
// A request refused as invalid (INVALID_ARGUMENT) makes no payment, whoever refuses it: the router
// (its own checks and each adapter's Describe) before anything is written, or the adapter after the
// row was written, which then never shows in any read. A refusal on the provider's terms
// (FAILED_PRECONDITION) is a payment that failed: stored once, FAILED with the same reason.
import { randomUUID } from "node:crypto";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoFromMetadata } from "../support/error-details.ts";
import { ADAPTER_NAMES, type AdapterName, type FullStack, startFullStack } from "../support/full-stack.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";

/** With `defaults`, proto-loader decodes an absent message field as null. */
type Payment = Omit<PlainPayment, "failure"> & { failure: { reason: string; providerCode: string } | null };

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

/** Real charges per simulator: payments, VAs, payouts and transfers created upstream. */
async function charges(): Promise<Record<AdapterName, number>> {
  const counts = await Promise.all(
    ADAPTER_NAMES.map(async (name) => [
      name,
      (await control<{ charges: number }>(name, "/sim/stats")).charges,
    ]),
  );
  return Object.fromEntries(counts) as Record<AdapterName, number>;
}

/** Every payment the router has stored for this caller (far fewer than one page here). */
async function stored(): Promise<Payment[]> {
  const { payments, nextPageToken } = await client.call<{ payments: Payment[]; nextPageToken: string }>(
    "ListPayments",
    { pageSize: 100 },
  );
  expect(nextPageToken).toBe("");
  return payments;
}

/** The refusal's gRPC code and its ErrorInfo, as any language's client would read them. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const failure = error as ServiceError;
    return { code: failure.code, info: errorInfoFromMetadata(failure.metadata) };
  }
  throw new Error("expected the call to be refused");
}

const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;

const idr = (minorUnits: bigint) => ({ currency: "IDR", minorUnits: String(minorUnits) });

const qris = (key: string, change: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  amount: idr(25_000_00n),
  qris: { terminalLabel: "KASIR-01" },
  ...change,
});

const virtualAccount = (key: string, method: Record<string, unknown>, minorUnits = 150_000_00n) => ({
  idempotencyKey: key,
  amount: idr(minorUnits),
  virtualAccount: { bank: "VIRTUAL_ACCOUNT_BANK_BCA", customerName: "Budi Santoso", ...method },
});

const bankTransfer = (key: string, method: Record<string, unknown>, minorUnits = 250_000_00n) => ({
  idempotencyKey: key,
  amount: idr(minorUnits),
  bankTransfer: {
    bankCode: "BCA",
    accountNumber: "1234567890",
    accountHolderName: "Budi Santoso",
    ...method,
  },
});

const gbpRecipient = {
  currency: "GBP",
  type: "sort_code",
  accountHolderName: "Ann Smith",
  details: { sortCode: "040075", accountNumber: "37778842" },
};

interface Quote {
  id: string;
  sourceAmount: { currency: string; minorUnits: string };
}

/** A fresh IDR→GBP quote for Rp1.500.000, made through the router as a caller would. */
async function quote(): Promise<Quote> {
  const answer = await client.call<{ quote: Quote }>("CreateQuote", {
    sourceCurrency: "IDR",
    targetCurrency: "GBP",
    sourceAmount: idr(1_500_000_00n),
  });
  return answer.quote;
}

const remittance = (
  key: string,
  at: Quote,
  method: Record<string, unknown> = {},
  amount = at.sourceAmount,
) => ({
  idempotencyKey: key,
  amount,
  remittance: { quoteId: at.id, recipient: gbpRecipient, reference: "Invoice 42", ...method },
});

describe("refused by the router itself", () => {
  const cases: Array<{ name: string; request: Record<string, unknown>; reason: string; field: string }> = [
    {
      name: "bank transfer account number that is not digits",
      request: bankTransfer("bad-router-account", { accountNumber: "12AB56789X" }),
      reason: "INVALID_FIELD",
      field: "bank_transfer.account_number",
    },
    {
      name: "bank transfer without a bank code",
      request: bankTransfer("bad-router-bank-code", { bankCode: "" }),
      reason: "MISSING_FIELD",
      field: "bank_transfer.bank_code",
    },
    {
      name: "bank transfer without the account holder's name",
      request: bankTransfer("bad-router-holder", { accountHolderName: "   " }),
      reason: "MISSING_FIELD",
      field: "bank_transfer.account_holder_name",
    },
    {
      name: "virtual account with the bank unspecified",
      request: virtualAccount("bad-router-va-bank", { bank: "VIRTUAL_ACCOUNT_BANK_UNSPECIFIED" }),
      reason: "MISSING_FIELD",
      field: "virtual_account.bank",
    },
    {
      name: "remittance without a recipient",
      request: {
        idempotencyKey: "bad-router-no-recipient",
        amount: idr(1_500_000_00n),
        remittance: { quoteId: randomUUID(), reference: "Invoice 42" },
      },
      reason: "MISSING_FIELD",
      field: "remittance.recipient",
    },
    {
      name: "remittance without a quote",
      request: {
        idempotencyKey: "bad-router-no-quote",
        amount: idr(1_500_000_00n),
        remittance: { recipient: gbpRecipient },
      },
      reason: "MISSING_FIELD",
      field: "remittance.quote_id",
    },
    {
      name: "currency code not in ISO 4217 form",
      request: {
        ...virtualAccount("bad-router-currency-form", {}),
        amount: { currency: "idr", minorUnits: "15000000" },
      },
      reason: "INVALID_FIELD",
      field: "amount.currency",
    },
    {
      name: "currency Paymesh does not handle",
      request: qris("bad-router-currency-unknown", { amount: { currency: "XTS", minorUnits: "100" } }),
      reason: "CURRENCY_NOT_SUPPORTED",
      field: "amount.currency",
    },
    {
      name: "no amount",
      request: qris("bad-router-no-amount", { amount: undefined }),
      reason: "MISSING_FIELD",
      field: "amount",
    },
    {
      name: "negative amount",
      request: bankTransfer("bad-router-negative", {}, -250_000_00n),
      reason: "AMOUNT_OUT_OF_RANGE",
      field: "amount.minor_units",
    },
    {
      name: "no payment method",
      request: { idempotencyKey: "bad-router-no-method", amount: idr(25_000_00n) },
      reason: "MISSING_FIELD",
      field: "method",
    },
  ];

  it.each(cases)(
    "$name: INVALID_ARGUMENT $reason on $field; nothing stored, nothing charged",
    async ({ request, reason, field }) => {
      const chargesBefore = await charges();
      const storedBefore = await stored();
      const { code, info } = await refusal(client.call("CreatePayment", request));
      expect(code).toBe(INVALID_ARGUMENT);
      expect(info).toEqual({ reason, domain: "paymesh.dev", metadata: { field } });
      expect(await stored()).toEqual(storedBefore);
      expect(await charges()).toEqual(chargesBefore);
    },
  );
});

describe("CreateQuote refusals", () => {
  const cases: Array<{ name: string; request: Record<string, unknown>; reason: string; field: string }> = [
    {
      name: "target currency not in ISO 4217 form (router)",
      request: { sourceCurrency: "IDR", targetCurrency: "gbp", sourceAmount: idr(1_500_000_00n) },
      reason: "INVALID_FIELD",
      field: "target_currency",
    },
    {
      name: "no amount (router)",
      request: { sourceCurrency: "IDR", targetCurrency: "GBP" },
      reason: "MISSING_FIELD",
      field: "amount",
    },
    {
      name: "source amount in another currency than the source (router)",
      request: {
        sourceCurrency: "IDR",
        targetCurrency: "GBP",
        sourceAmount: { currency: "USD", minorUnits: "10000" },
      },
      reason: "INVALID_FIELD",
      field: "source_amount.currency",
    },
    {
      name: "a source currency Wise is not used to send from (adapter)",
      request: {
        sourceCurrency: "JPY",
        targetCurrency: "GBP",
        sourceAmount: { currency: "JPY", minorUnits: "100000" },
      },
      reason: "CURRENCY_NOT_SUPPORTED",
      field: "source_currency",
    },
    {
      name: "a currency pair Wise does not serve (Wise's own NOT_VALID on targetCurrency)",
      request: { sourceCurrency: "IDR", targetCurrency: "CHF", sourceAmount: idr(1_500_000_00n) },
      reason: "CURRENCY_NOT_SUPPORTED",
      field: "target_currency",
    },
    {
      name: "a source amount below the adapter's limit (adapter)",
      request: { sourceCurrency: "IDR", targetCurrency: "GBP", sourceAmount: idr(5_000_00n) },
      reason: "AMOUNT_OUT_OF_RANGE",
      field: "source_amount.minor_units",
    },
  ];

  it.each(cases)(
    "$name: INVALID_ARGUMENT $reason on $field; no quote made, nothing stored",
    async ({ request, reason, field }) => {
      const quotesBefore = (await control<{ quotes: number }>("remittance", "/sim/stats")).quotes;
      const storedBefore = await stored();
      const { code, info } = await refusal(client.call("CreateQuote", request));
      expect(code).toBe(INVALID_ARGUMENT);
      expect(info).toMatchObject({ reason, domain: "paymesh.dev", metadata: { field } });
      expect((await control<{ quotes: number }>("remittance", "/sim/stats")).quotes).toBe(quotesBefore);
      expect(await stored()).toEqual(storedBefore);
    },
  );
});

describe("refused by the adapter", () => {
  const cases: Array<{
    name: string;
    adapter: AdapterName;
    request(key: string): Record<string, unknown> | Promise<Record<string, unknown>>;
    code: number;
    reason: string;
    field: string;
  }> = [
    {
      name: "bank code Xendit does not pay to",
      adapter: "transfer",
      request: (key) => bankTransfer(key, { bankCode: "BANKX" }),
      code: INVALID_ARGUMENT,
      reason: "BANK_NOT_SUPPORTED",
      field: "bank_transfer.bank_code",
    },
    {
      name: "account number of the wrong length for the bank (Mandiri takes 13 digits)",
      adapter: "transfer",
      request: (key) => bankTransfer(key, { bankCode: "MANDIRI", accountNumber: "1234567890" }),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "bank_transfer.account_number",
    },
    {
      name: "payout above the Rp100.000.000 limit",
      adapter: "transfer",
      request: (key) => bankTransfer(key, {}, 100_000_001_00n),
      code: INVALID_ARGUMENT,
      reason: "AMOUNT_OUT_OF_RANGE",
      field: "amount.minor_units",
    },
    {
      name: "payout in IDR with cents (Xendit pays whole rupiah)",
      adapter: "transfer",
      request: (key) => bankTransfer(key, {}, 250_000_50n),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "amount.minor_units",
    },
    {
      name: "VA below the Rp10.000 minimum",
      adapter: "va",
      request: (key) => virtualAccount(key, {}, 9_999_00n),
      code: INVALID_ARGUMENT,
      reason: "AMOUNT_OUT_OF_RANGE",
      field: "amount.minor_units",
    },
    {
      name: "VA in IDR with cents (Midtrans charges whole rupiah)",
      adapter: "va",
      request: (key) => virtualAccount(key, {}, 150_000_50n),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "amount.minor_units",
    },
    {
      name: "custom VA number of the wrong length for BNI (8 or 12 digits)",
      adapter: "va",
      request: (key) =>
        virtualAccount(key, { bank: "VIRTUAL_ACCOUNT_BANK_BNI", customVaNumber: "1234567890" }),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "virtual_account.custom_va_number",
    },
    {
      name: "custom VA number of the wrong length for BCA (6 to 11 digits)",
      adapter: "va",
      request: (key) => virtualAccount(key, { customVaNumber: "123456789012" }),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "virtual_account.custom_va_number",
    },
    {
      name: "QRIS above the Rp10.000.000 limit",
      adapter: "qris",
      request: (key) => qris(key, { amount: idr(10_000_001_00n) }),
      code: INVALID_ARGUMENT,
      reason: "AMOUNT_OUT_OF_RANGE",
      field: "amount.minor_units",
    },
    {
      name: "QRIS terminal label longer than SNAP's 16-character terminalId",
      adapter: "qris",
      request: (key) => qris(key, { qris: { terminalLabel: "T".repeat(17) } }),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "qris.terminal_label",
    },
    {
      name: "a quote id Wise does not know",
      adapter: "remittance",
      request: (key) => remittance(key, { id: randomUUID(), sourceAmount: idr(1_500_000_00n) }),
      code: INVALID_ARGUMENT,
      reason: "QUOTE_NOT_FOUND",
      field: "remittance.quote_id",
    },
    {
      name: "a quote id that is not a Wise quote id",
      adapter: "remittance",
      request: (key) => remittance(key, { id: "quote-1", sourceAmount: idr(1_500_000_00n) }),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "remittance.quote_id",
    },
    {
      name: "a quote whose rate lock has ended",
      adapter: "remittance",
      request: async (key) => {
        const expired = await quote();
        await control("remittance", "/sim/expire-quote", { quoteId: expired.id });
        return remittance(key, expired);
      },
      code: FAILED_PRECONDITION,
      reason: "QUOTE_EXPIRED",
      field: "remittance.quote_id",
    },
    {
      name: "an amount other than the quote's source amount",
      adapter: "remittance",
      request: async (key) => remittance(key, await quote(), {}, idr(1_500_001_00n)),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "amount",
    },
    {
      name: "a recipient in another currency than the quote's target",
      adapter: "remittance",
      request: async (key) =>
        remittance(key, await quote(), { recipient: { ...gbpRecipient, currency: "EUR" } }),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "remittance.recipient.currency",
    },
    {
      name: "a recipient account number Wise rejects field by field",
      adapter: "remittance",
      request: async (key) =>
        remittance(key, await quote(), {
          recipient: { ...gbpRecipient, details: { sortCode: "040075", accountNumber: "12" } },
        }),
      code: INVALID_ARGUMENT,
      reason: "INVALID_FIELD",
      field: "remittance.recipient.details.accountNumber",
    },
  ];

  it.each(cases.map((entry, index) => ({ ...entry, key: `bad-adapter-${index}` })))(
    "$adapter: $name: $reason on $field; no payment if invalid, else stored FAILED; nothing charged",
    async ({ adapter, request, code, reason, field, key }) => {
      const built = await request(key);
      const chargesBefore = await charges();
      const storedBefore = new Set((await stored()).map((payment) => payment.id));

      const first = await refusal(client.call("CreatePayment", built));
      expect(first.code).toBe(code);
      expect(first.info).toMatchObject({ reason, domain: "paymesh.dev", metadata: { field } });

      // An invalid request made no payment; any other refusal is a FAILED payment, stored once.
      const added = (await stored()).filter((payment) => !storedBefore.has(payment.id));
      if (code === INVALID_ARGUMENT) {
        expect(added).toEqual([]);
        expect(first.info?.metadata.payment_id).toBeUndefined();
      } else {
        expect(added).toHaveLength(1);
        expect(added[0]).toMatchObject({
          status: "PAYMENT_STATUS_FAILED",
          adapter,
          failure: { reason: `ERROR_REASON_${reason}` },
        });
        expect(first.info?.metadata.payment_id).toBe(added[0]?.id);
      }

      // A retry with the same key is answered from the store: the same refusal, nothing new.
      const again = await refusal(client.call("CreatePayment", built));
      expect(again).toEqual(first);
      expect((await stored()).filter((payment) => !storedBefore.has(payment.id))).toEqual(added);
      expect(await charges()).toEqual(chargesBefore);
    },
  );
});
