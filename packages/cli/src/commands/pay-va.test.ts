import { create } from "@bufbuild/protobuf";
import { type CreatePaymentRequest, PaymentSchema, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawnCli } from "../testing/spawn-cli.ts";
import { type StubRouter, startStubRouter } from "../testing/stub-router.ts";

let router: StubRouter;
beforeAll(async () => {
  // Answers like the router does for a fresh VA: REQUIRES_ACTION with the number to pay into.
  router = await startStubRouter({
    createPayment: (request) => ({
      payment: create(PaymentSchema, {
        id: "pay_01jz8x3v6q4n7s2m5k9r1t0w3y",
        amount: request.amount,
        status: PaymentStatus.REQUIRES_ACTION,
        method: request.method,
        adapter: "va",
        customerAction: {
          action: {
            case: "virtualAccount",
            value: { bank: VirtualAccountBank.BCA, vaNumber: "123451234567890" },
          },
        },
      }),
    }),
  });
});
afterAll(() => router.close());
beforeEach(() => {
  router.calls.length = 0;
});

function pay(...args: string[]) {
  return spawnCli(["pay", "va", ...args, "--router", router.address, "--token", "test-token-0123456789"]);
}

describe("paymesh pay va", () => {
  it("sends a VA request in IDR minor units and prints the payment, then the VA number", async () => {
    const run = await pay(
      "--amount",
      "150000",
      "--bank",
      "BCA",
      "--name",
      "Budi Santoso",
      "--va-number",
      "12345678",
      "--key",
      "order-1-attempt-1",
      "--reference",
      "INV-2001",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(router.calls).toHaveLength(1);
    const [call] = router.calls;
    expect(call?.authorization).toBe("Bearer test-token-0123456789");
    const request = call?.request as CreatePaymentRequest;
    expect(request.idempotencyKey).toBe("order-1-attempt-1");
    expect(request.amount).toMatchObject({ currency: "IDR", minorUnits: 15_000_000n });
    expect(request.merchantReference).toBe("INV-2001");
    expect(request.method.case).toBe("virtualAccount");
    expect(request.method.value).toMatchObject({
      bank: VirtualAccountBank.BCA,
      customerName: "Budi Santoso",
      customVaNumber: "12345678",
    });
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("123451234567890");
    expect(JSON.parse(lines.slice(0, -1).join("\n"))).toMatchObject({
      id: "pay_01jz8x3v6q4n7s2m5k9r1t0w3y",
      status: "PAYMENT_STATUS_REQUIRES_ACTION",
      customerAction: { virtualAccount: { bank: "VIRTUAL_ACCOUNT_BANK_BCA", vaNumber: "123451234567890" } },
    });
  });

  it.each([
    ["bni", VirtualAccountBank.BNI],
    ["bri", VirtualAccountBank.BRI],
    ["Permata", VirtualAccountBank.PERMATA],
  ])("maps --bank %s to its enum value", async (bank, value) => {
    const run = await pay("--amount", "10000", "--bank", bank);
    expect(run.code).toBe(0);
    expect(router.request<CreatePaymentRequest>().method.value).toMatchObject({ bank: value });
  });

  it("refuses a bank that has no VA, listing the ones that do (usage, exit 2)", async () => {
    const run = await pay("--amount", "10000", "--bank", "mandiri");
    expect(run.code).toBe(2);
    expect(run.stderrLines).toEqual([
      'paymesh: pay va: --bank "mandiri" is not one of bca, bni, bri, permata',
      'run "paymesh pay va --help" for usage',
    ]);
    expect(router.calls).toEqual([]);
  });

  it("names every missing required option at once", async () => {
    const run = await pay("--name", "Budi");
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe("paymesh: pay va: --amount and --bank are required");
    expect(router.calls).toEqual([]);
  });

  it.each([
    [
      ["--amount", "10000.001", "--bank", "bca"],
      'paymesh: amount "10000.001" has more than 2 decimals; IDR has 2',
    ],
    [["--amount", "10.000", "--bank", "bca"], "write 10000 (no thousands separator)"],
    [["--amount", "10000", "--bank", "bca", "--va-number", "1234-5678"], "must be digits only"],
  ])("checks %j before calling the router (exit 1)", async (args, message) => {
    const run = await pay(...args);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(message);
    expect(router.calls).toEqual([]);
  });
});
