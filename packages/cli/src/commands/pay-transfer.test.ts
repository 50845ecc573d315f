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
        id: "pay_01jz8x3v6q4n7s2m5k9r1t0w3z",
        amount: request.amount,
        status: PaymentStatus.PROCESSING,
        method: request.method,
        adapter: "transfer",
      }),
    }),
  });
});
afterAll(() => router.close());
beforeEach(() => {
  router.calls.length = 0;
});

const VALID = ["--amount", "150000", "--bank", "BCA", "--account", "1234567890", "--name", "Siti Rahma"];

function pay(...args: string[]) {
  return spawnCli(["pay", "transfer", ...args, "--router", router.address]);
}

describe("paymesh pay transfer", () => {
  it("sends the payout's bank, account and holder with the amount in IDR minor units", async () => {
    const run = await pay(...VALID, "--description", "refund INV-7", "--reference", "RF-7", "--key", "rf-7");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const request = router.request<CreatePaymentRequest>();
    expect(request).toMatchObject({
      idempotencyKey: "rf-7",
      amount: { currency: "IDR", minorUnits: 15_000_000n },
      merchantReference: "RF-7",
      description: "refund INV-7",
      method: {
        case: "bankTransfer",
        value: { bankCode: "BCA", accountNumber: "1234567890", accountHolderName: "Siti Rahma" },
      },
    });
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: "pay_01jz8x3v6q4n7s2m5k9r1t0w3z",
      status: "PAYMENT_STATUS_PROCESSING",
      bankTransfer: { bankCode: "BCA", accountNumber: "1234567890" },
    });
  });

  it("passes a Bank Indonesia code through for the adapter to resolve", async () => {
    const run = await pay("--amount", "150000", "--bank", "014", "--account", "1234567890", "--name", "Siti");
    expect(run.code).toBe(0);
    expect(router.request<CreatePaymentRequest>().method.value).toMatchObject({
      bankCode: "014",
    });
  });

  it("names every missing required option at once (usage, exit 2)", async () => {
    const run = await pay("--amount", "150000", "--bank", "BCA");
    expect(run.code).toBe(2);
    expect(run.stderrLines).toEqual([
      "paymesh: pay transfer: --account and --name are required",
      'run "paymesh pay transfer --help" for usage',
    ]);
    expect(router.calls).toEqual([]);
  });

  it.each([
    ["--account", "1234-5678-90", '--account "1234-5678-90" must be 5 to 20 digits'],
    ["--account", "1234", '--account "1234" must be 5 to 20 digits'],
    ["--account", "123456789012345678901", "must be 5 to 20 digits"],
    ["--bank", "B C A", '--bank "B C A" is not a bank code'],
    ["--bank", "14", '--bank "14" is not a bank code'],
    ["--name", "  ", "--name is empty"],
    ["--amount", "150000.505", "has more than 2 decimals; IDR has 2"],
    ["--amount", "-150000", "must be positive"],
  ])("refuses %s %j before calling the router (exit 1)", async (option, value, message) => {
    const args = [...VALID];
    args[args.indexOf(option) + 1] = value;
    const run = await pay(...args);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(message);
    expect(router.calls).toEqual([]);
  });
});
