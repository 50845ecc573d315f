import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type CreateQuoteRequest, QuoteSchema } from "@paymesh/proto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawnCli } from "../testing/spawn-cli.ts";
import { type StubRouter, startStubRouter } from "../testing/stub-router.ts";

const EXPIRES = new Date("2025-07-01T03:30:00.000Z");

let router: StubRouter;
beforeAll(async () => {
  // A USD → JPY quote as the Wise adapter returns it: JPY has no minor unit, the rate is exact text.
  router = await startStubRouter({
    createQuote: () => ({
      quote: create(QuoteSchema, {
        id: "9f0c6f7e-3f1a-4c55-9a57-0d7d3c2b1a00",
        sourceAmount: { currency: "USD", minorUnits: 6_734n },
        targetAmount: { currency: "JPY", minorUnits: 10_000n },
        rate: "149.62",
        fees: [
          { type: "transferwise", amount: { currency: "USD", minorUnits: 80n } },
          { type: "discount", amount: { currency: "USD", minorUnits: -5n } },
        ],
        expiresAt: timestampFromDate(EXPIRES),
        adapter: "remittance",
      }),
    }),
  });
});
afterAll(() => router.close());
beforeEach(() => {
  router.calls.length = 0;
});

function quote(...args: string[]) {
  return spawnCli(["quote", ...args, "--router", router.address]);
}

describe("paymesh quote", () => {
  it("asks for a source amount in minor units and prints the quote at each currency's exponent", async () => {
    const run = await quote("--from", "usd", "--to", "JPY", "--amount", "67.34");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const request = router.request<CreateQuoteRequest>();
    expect(request).toMatchObject({
      sourceCurrency: "USD",
      targetCurrency: "JPY",
      amount: { case: "sourceAmount", value: { currency: "USD", minorUnits: 6_734n } },
    });
    const lines = run.stdout.split("\n");
    expect(lines.slice(0, 8)).toEqual([
      "quote     9f0c6f7e-3f1a-4c55-9a57-0d7d3c2b1a00",
      "adapter   remittance",
      "send      67.34 USD",
      "receive   10000 JPY",
      "rate      149.62  (JPY per USD)",
      "fee       0.80 USD  (transferwise)",
      "fee       -0.05 USD  (discount)",
      `expires   ${EXPIRES.toISOString()}`,
    ]);
    // The next command repeats the quote's source amount as pay remittance reads it back.
    expect(run.stdout).toContain(
      "pay remittance --quote 9f0c6f7e-3f1a-4c55-9a57-0d7d3c2b1a00 --amount 67.34 --currency USD",
    );
    expect(run.stdout).toContain("--recipient-currency JPY --recipient-type japanese");
  });

  it("sends a target amount in the target currency's minor units (JPY: none)", async () => {
    const run = await quote("--from", "USD", "--to", "JPY", "--target-amount", "10000");
    expect(run.code).toBe(0);
    expect(router.request<CreateQuoteRequest>().amount).toEqual({
      case: "targetAmount",
      value: expect.objectContaining({ currency: "JPY", minorUnits: 10_000n }),
    });
  });

  it("prints proto3 JSON with --json", async () => {
    const run = await quote("--from", "USD", "--to", "JPY", "--amount", "67.34", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: "9f0c6f7e-3f1a-4c55-9a57-0d7d3c2b1a00",
      rate: "149.62",
      targetAmount: { currency: "JPY", minorUnits: "10000" },
    });
  });

  it.each([
    [
      ["--from", "USD", "--to", "JPY", "--target-amount", "10000.5"],
      'amount "10000.5" has decimals; JPY has none',
    ],
    [
      ["--from", "USD", "--to", "JPY", "--amount", "67.345"],
      'amount "67.345" has more than 2 decimals; USD has 2',
    ],
    [["--from", "US", "--to", "JPY", "--amount", "10"], '--from "US" is not an ISO 4217 currency code'],
    [["--from", "USD", "--to", "XAU", "--amount", "10"], "--to XAU is not a currency Paymesh supports"],
    [["--from", "IDR", "--to", "GBP", "--amount", "1.500.000"], "for Rp1.500.000 write 1500000"],
    [["--from", "USD", "--to", "GBP", "--amount", "0.00"], 'amount "0.00" must be positive'],
  ])("refuses %j before calling the router (exit 1)", async (args, message) => {
    const run = await quote(...args);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(message);
    expect(router.calls).toEqual([]);
  });

  it.each([
    [["--from", "USD", "--to", "JPY"], "paymesh: quote: give exactly one of --amount and --target-amount"],
    [
      ["--from", "USD", "--to", "JPY", "--amount", "1", "--target-amount", "150"],
      "paymesh: quote: give exactly one of --amount and --target-amount",
    ],
    [["--amount", "10"], "paymesh: quote: --from and --to are required"],
  ])("refuses %j as a usage error (exit 2)", async (args, message) => {
    const run = await quote(...args);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe(message);
    expect(router.calls).toEqual([]);
  });
});
