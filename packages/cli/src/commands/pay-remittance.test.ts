import { create } from "@bufbuild/protobuf";
import { type CreatePaymentRequest, PaymentSchema, PaymentStatus } from "@paymesh/proto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawnCli } from "../testing/spawn-cli.ts";
import { type StubRouter, startStubRouter } from "../testing/stub-router.ts";

let router: StubRouter;
beforeAll(async () => {
  router = await startStubRouter({
    createPayment: (request) => ({
      payment: create(PaymentSchema, {
        id: "pay_01jz8x3v6q4n7s2m5k9r1t0w40",
        amount: request.amount,
        status: PaymentStatus.PROCESSING,
        method: request.method,
        adapter: "remittance",
        providerReference: "50000001",
      }),
    }),
  });
});
afterAll(() => router.close());
beforeEach(() => {
  router.calls.length = 0;
});

const QUOTE = "9f0c6f7e-3f1a-4c55-9a57-0d7d3c2b1a00";
// The example from --help and the README, which the Wise simulator accepts.
const VALID = [
  "--quote",
  QUOTE,
  "--amount",
  "1500000.00",
  "--currency",
  "IDR",
  "--recipient-currency",
  "GBP",
  "--recipient-type",
  "sort_code",
  "--holder",
  "Ann Smith",
  "--detail",
  "sortCode=040075",
  "--detail",
  "accountNumber=37778842",
];

function pay(...args: string[]) {
  return spawnCli(["pay", "remittance", ...args, "--router", router.address]);
}

// VALID with some options' values replaced.
function replaced(...pairs: string[]): string[] {
  const args = [...VALID];
  for (let i = 0; i < pairs.length; i += 2) args[args.indexOf(pairs[i] ?? "") + 1] = pairs[i + 1] ?? "";
  return args;
}

describe("paymesh pay remittance", () => {
  it("sends the quote, the amount in source minor units and the recipient with every detail", async () => {
    const run = await pay(...VALID, "--reference", "INV-7", "--key", "remit-7");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const request = router.request<CreatePaymentRequest>();
    expect(request.idempotencyKey).toBe("remit-7");
    expect(request.amount).toMatchObject({ currency: "IDR", minorUnits: 150_000_000n });
    expect(request.method.case).toBe("remittance");
    expect(request.method.value).toMatchObject({
      quoteId: QUOTE,
      reference: "INV-7",
      recipient: {
        currency: "GBP",
        type: "sort_code",
        accountHolderName: "Ann Smith",
        details: { sortCode: "040075", accountNumber: "37778842" },
      },
    });
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: "pay_01jz8x3v6q4n7s2m5k9r1t0w40",
      status: "PAYMENT_STATUS_PROCESSING",
      providerReference: "50000001",
    });
  });

  it.each([
    ["usd", "100.50", "USD", 10_050n],
    ["JPY", "10000", "JPY", 10_000n],
    ["KWD", "1.234", "KWD", 1_234n],
  ])("reads --currency %s --amount %s at that currency's exponent", async (currency, amount, code, minor) => {
    const run = await pay(...replaced("--currency", currency, "--amount", amount));
    expect(run.code).toBe(0);
    expect(router.request<CreatePaymentRequest>().amount).toMatchObject({
      currency: code,
      minorUnits: minor,
    });
  });

  it("splits --detail at the first '=' only", async () => {
    const run = await pay(...VALID, "--detail", "address.note=a=b");
    expect(run.code).toBe(0);
    const request = router.request<CreatePaymentRequest>();
    expect(request.method.case === "remittance" && request.method.value.recipient?.details).toMatchObject({
      "address.note": "a=b",
    });
  });

  it("names every missing required option at once (usage, exit 2)", async () => {
    const run = await pay("--quote", QUOTE, "--amount", "10");
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe(
      "paymesh: pay remittance: --currency, --recipient-currency, --recipient-type, --holder and --detail are required",
    );
    expect(router.calls).toEqual([]);
  });

  it.each([
    ["accountNumber", 'pay remittance: --detail "accountNumber" is not <key>=<value>'],
    ["=37778842", 'pay remittance: --detail "=37778842" is not <key>=<value>'],
    ["sortCode=040076", "pay remittance: --detail sortCode given twice"],
  ])("refuses --detail %j as a usage error (exit 2)", async (detail, message) => {
    const run = await pay(...VALID, "--detail", detail);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toContain(`paymesh: ${message}`);
    expect(router.calls).toEqual([]);
  });

  it.each([
    [replaced("--amount", "1500000.001"), 'amount "1500000.001" has more than 2 decimals; IDR has 2'],
    [replaced("--currency", "JPY", "--amount", "10000.5"), 'amount "10000.5" has decimals; JPY has none'],
    [replaced("--currency", "RUPIAH"), '--currency "RUPIAH" is not an ISO 4217 currency code'],
    [replaced("--recipient-currency", "GB"), '--recipient-currency "GB" is not an ISO 4217 currency code'],
    [replaced("--recipient-currency", "ABC"), "--recipient-currency ABC is not a currency Paymesh supports"],
    [replaced("--recipient-type", "Sort Code"), '--recipient-type "Sort Code" is not a recipient type'],
    [replaced("--holder", " "), "--holder is empty"],
    [[...VALID, "--detail", "IBAN= "], "--detail IBAN is empty"],
  ])("refuses %j before calling the router (exit 1)", async (args, message) => {
    const run = await pay(...args);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(message);
    expect(router.calls).toEqual([]);
  });
});
