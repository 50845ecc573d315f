import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type CancelPaymentRequest,
  type ListPaymentsRequest,
  PaymentMethodType,
  PaymentSchema,
  PaymentStatus,
  type WatchPaymentRequest,
} from "@paymesh/proto";
import { encodeQris } from "@paymesh/qris";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlApi } from "./testing/control-api-stub.ts";
import { startDeadLetterRouter } from "./testing/dead-letter-router.ts";
import { spawnCli } from "./testing/spawn-cli.ts";
import { type StubRouter, startStubRouter } from "./testing/stub-router.ts";

const STATIC_QRIS = encodeQris([
  { tag: "01", value: "11" },
  {
    tag: "26",
    value: "",
    children: [
      { tag: "00", value: "ID.CO.BRI.WWW" },
      { tag: "01", value: "936000020000098765" },
    ],
  },
  { tag: "52", value: "5812" },
  { tag: "53", value: "360" },
  { tag: "58", value: "ID" },
  { tag: "59", value: "WARUNG MAKAN SEDERHANA" },
  { tag: "60", value: "BANDUNG" },
]);

function payment(status: PaymentStatus, at: string) {
  return create(PaymentSchema, {
    id: "pay_watch",
    status,
    amount: { currency: "IDR", minorUnits: 2_500_000n },
    method: { case: "qris", value: {} },
    providerReference: "50000001",
    updatedAt: timestampFromDate(new Date(at)),
  });
}

let router: StubRouter;
beforeAll(async () => {
  router = await startStubRouter({
    createPayment: (request) => ({
      payment: create(PaymentSchema, {
        id: "pay_1",
        amount: request.amount,
        status: PaymentStatus.REQUIRES_ACTION,
        method: request.method,
        customerAction: { action: { case: "qris", value: { qrString: "000201QR" } } },
      }),
    }),
    getPayment: (request) => ({
      payment: create(PaymentSchema, {
        id: request.paymentId,
        status: PaymentStatus.PROCESSING,
        method: { case: "remittance", value: { quoteId: "q-1" } },
        providerReference: "50000001",
      }),
    }),
    listPayments: () => ({
      payments: [payment(PaymentStatus.SUCCEEDED, "2026-11-24T10:00:00Z")],
      nextPageToken: "next-1",
    }),
    cancelPayment: (request) => ({
      payment: create(PaymentSchema, { id: request.paymentId, status: PaymentStatus.CANCELED }),
    }),
    createQuote: () => ({
      quote: {
        id: "q-1",
        adapter: "remittance",
        sourceAmount: { currency: "IDR", minorUnits: 150_000_000n },
        targetAmount: { currency: "GBP", minorUnits: 7500n },
        rate: "0.00005",
      },
    }),
    watchPayment: () => [
      { payment: payment(PaymentStatus.REQUIRES_ACTION, "2026-11-24T10:00:00Z") },
      {
        payment: payment(PaymentStatus.SUCCEEDED, "2026-11-24T10:01:00Z"),
        previousStatus: PaymentStatus.REQUIRES_ACTION,
      },
    ],
  });
});
afterAll(() => router.close());

// Every command that talks to the router, with the arguments it needs and nothing else.
const ROUTER_COMMANDS: string[][] = [
  ["pay", "qris", "--amount", "25000"],
  ["pay", "va", "--amount", "150000", "--bank", "bca"],
  ["pay", "transfer", "--amount", "150000", "--bank", "BCA", "--account", "1234567890", "--name", "Siti"],
  ["quote", "--from", "IDR", "--to", "GBP", "--amount", "1500000"],
  [
    "pay",
    "remittance",
    ...["--quote", "q-1", "--amount", "1500000.00", "--currency", "IDR", "--recipient-currency", "GBP"],
    ...["--recipient-type", "sort_code", "--holder", "Ann Smith", "--detail", "sortCode=040075"],
  ],
  ["payments", "get", "pay_1"],
  ["payments", "list"],
  ["payments", "watch", "pay_watch"],
  ["payments", "cancel", "pay_1"],
];

describe("--json: exactly one JSON document on stdout", () => {
  it.each(ROUTER_COMMANDS)("%s … --json", async (...args) => {
    const run = await spawnCli([...args, "--json", "--router", router.address]);
    expect(run.stderrLines.filter((line) => line.startsWith("paymesh:"))).toEqual([]);
    expect(run.code).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  it("sends the paging hint of payments list to stderr", async () => {
    const run = await spawnCli(["payments", "list", "--json", "--router", router.address]);
    expect(JSON.parse(run.stdout)).toMatchObject({
      payments: [{ id: "pay_watch", status: "PAYMENT_STATUS_SUCCEEDED" }],
      nextPageToken: "next-1",
    });
    expect(run.stderrLines).toEqual(["next page: --page-token next-1"]);
  });

  it.each([
    [["sandbox", "pay", "qris", "pay_1"]],
    [["sandbox", "pay", "va", "pay_1"]],
    [["sandbox", "complete", "transfer", "pay_1"]],
    [["sandbox", "advance", "remittance", "pay_1", "--router", "ROUTER"]],
  ])("%j --json, even when the simulator answers text", async (args) => {
    const api = await startControlApi(200, "ok, not JSON");
    const run = await spawnCli([
      ...args.map((arg) => (arg === "ROUTER" ? router.address : arg)),
      "--json",
      "--sandbox-url",
      api.url,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toBe("ok, not JSON");
  });

  it.each([["list"], ["show", "qris:snap-abc"], ["replay", "qris:snap-abc"], ["drop", "qris:snap-abc"]])(
    "dlq %s --json",
    async (...args) => {
      const dlq = await startDeadLetterRouter({
        token: "test-token-0123456789",
        messages: [{ id: "qris:snap-abc", body: new TextEncoder().encode('{"event":"paid"}') }],
      });
      const run = await spawnCli([
        "dlq",
        ...args,
        "--json",
        "--router-http",
        dlq.url,
        "--token",
        "test-token-0123456789",
      ]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(() => JSON.parse(run.stdout)).not.toThrow();
    },
  );

  it("qris decode and qris dynamic --json", async () => {
    const decoded = await spawnCli(["qris", "decode", STATIC_QRIS, "--json"]);
    expect(decoded.code).toBe(0);
    expect(() => JSON.parse(decoded.stdout)).not.toThrow();
    const dynamic = await spawnCli(["qris", "dynamic", STATIC_QRIS, "25000", "--json"]);
    expect(dynamic.code).toBe(0);
    expect(JSON.parse(dynamic.stdout)).toEqual({ payload: expect.stringMatching(/^000201010212/) });
  });

  it("pay qris --json leaves out the QR line that follows the Payment in text mode", async () => {
    const text = await spawnCli(["pay", "qris", "--amount", "25000", "--router", router.address]);
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe("000201QR");
    const json = await spawnCli(["pay", "qris", "--amount", "25000", "--json", "--router", router.address]);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: "pay_1" });
    expect(json.stdout).not.toMatch(/^000201QR$/m);
  });
});

describe("payments watch", () => {
  it("prints the state it started from and each change until the payment is final", async () => {
    const run = await spawnCli(["payments", "watch", "pay_watch", "--router", router.address]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "2026-11-24T10:00:00.000Z  pay_watch  requires_action\n" +
        "2026-11-24T10:01:00.000Z  pay_watch  succeeded  (was requires_action)\n",
    );
    const call = router.calls.filter((c) => c.method === "watchPayment").at(-1);
    expect(call?.request as WatchPaymentRequest | undefined).toMatchObject({ paymentId: "pay_watch" });
  });

  it("--json prints the changes as one array once the payment is final", async () => {
    const run = await spawnCli(["payments", "watch", "pay_watch", "--json", "--router", router.address]);
    expect(run.code).toBe(0);
    const changes = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ payment: { status: "PAYMENT_STATUS_REQUIRES_ACTION" } });
    expect(changes[1]).toMatchObject({
      payment: { status: "PAYMENT_STATUS_SUCCEEDED" },
      previousStatus: "PAYMENT_STATUS_REQUIRES_ACTION",
    });
  });
});

describe("payments cancel", () => {
  it("sends CancelPayment with the reason and prints the Payment", async () => {
    const run = await spawnCli([
      ...["payments", "cancel", "pay_9", "--reason", "customer left"],
      ...["--router", router.address, "--token", "test-token-0123456789"],
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const call = router.calls.filter((c) => c.method === "cancelPayment").at(-1);
    expect(call?.request as CancelPaymentRequest).toMatchObject({
      paymentId: "pay_9",
      reason: "customer left",
    });
    expect(call?.authorization).toBe("Bearer test-token-0123456789");
    expect(JSON.parse(run.stdout)).toMatchObject({ id: "pay_9", status: "PAYMENT_STATUS_CANCELED" });
  });
});

describe("enum values in every form the CLI prints", () => {
  it("payments list reads bank_transfer, bankTransfer, PAYMENT_METHOD_TYPE_QRIS, succeeded, PAYMENT_STATUS_FAILED", async () => {
    const run = await spawnCli([
      ...["payments", "list", "--router", router.address],
      ...["--method", "bank_transfer,bankTransfer,PAYMENT_METHOD_TYPE_QRIS"],
      ...["--status", "succeeded,PAYMENT_STATUS_FAILED,requiresAction"],
    ]);
    expect(run.code).toBe(0);
    const request = router.calls.filter((c) => c.method === "listPayments").at(-1)
      ?.request as ListPaymentsRequest;
    expect(request.methods).toEqual([
      PaymentMethodType.BANK_TRANSFER,
      PaymentMethodType.BANK_TRANSFER,
      PaymentMethodType.QRIS,
    ]);
    expect(request.statuses).toEqual([
      PaymentStatus.SUCCEEDED,
      PaymentStatus.FAILED,
      PaymentStatus.REQUIRES_ACTION,
    ]);
  });

  it("pay va reads VIRTUAL_ACCOUNT_BANK_BNI like bni", async () => {
    const run = await spawnCli([
      ...["pay", "va", "--amount", "150000", "--bank", "VIRTUAL_ACCOUNT_BANK_BNI"],
      ...["--router", router.address],
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.slice(0, run.stdout.lastIndexOf("}") + 1))).toMatchObject({
      virtualAccount: { bank: "VIRTUAL_ACCOUNT_BANK_BNI" },
    });
  });

  it("sandbox advance remittance reads --to fundsConverted like funds_converted", async () => {
    const api = await startControlApi(200, "{}");
    const run = await spawnCli([
      ...["sandbox", "advance", "remittance", "pay_r", "--to", "fundsConverted"],
      ...["--sandbox-url", api.url, "--router", router.address],
    ]);
    expect(run.code).toBe(0);
    expect(api.received[0]?.body).toEqual({ transferId: "50000001", to: "funds_converted" });
  });
});

describe("--limit", () => {
  it.each([
    ["payments", "list", "0", 100],
    ["payments", "list", "-1", 100],
    ["payments", "list", "ten", 100],
    ["payments", "stuck", "0", 1000],
    ["payments", "stuck", "1001", 1000],
    ["dlq", "list", "-5", 500],
  ])("%s %s --limit %s is refused before anything is sent", async (group, command, limit, max) => {
    const before = router.calls.length;
    // dlq and payments stuck ask the router's HTTP admin API; the others its gRPC port.
    const admin = group === "dlq" || command === "stuck";
    const target = admin ? ["--router-http", "http://127.0.0.1:1"] : ["--router", router.address];
    const run = await spawnCli([group, command, "--limit", limit, ...target]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: ${group} ${command}: --limit must be a whole number from 1 to ${max}, not ${JSON.stringify(limit)}`,
    ]);
    expect(router.calls.length).toBe(before);
  });
});
