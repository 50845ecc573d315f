// Router behaviour that only shows across real processes: deadline propagation, one channel per
// adapter, health and reflection on the wire, paging and caller scoping, cancel, watch, and
// concurrent use of one idempotency key.
import { connect, createServer, type Server } from "node:net";
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoFromMetadata, rejection } from "../support/error-details.ts";
import { type PlainPayment, plainPaymentClient } from "../support/plain-client.ts";
import {
  OTHER_TOKEN,
  type QrisStack,
  simulatorControl,
  startQrisStack,
  TEST_TOKEN,
} from "../support/qris-stack.ts";

let stack: QrisStack;
let client: ReturnType<typeof plainPaymentClient>;
let proxy: Server;
let adapterConnections = 0;

beforeAll(async () => {
  stack = await startQrisStack({
    // Counts TCP connections from the router to the adapter, to prove the channel is reused.
    routeAdapterThrough: async (adapterAddress) => {
      const [host, port] = adapterAddress.split(":");
      proxy = createServer((socket) => {
        adapterConnections++;
        const upstream = connect(Number(port), host ?? "127.0.0.1");
        socket.pipe(upstream).pipe(socket);
        socket.on("error", () => upstream.destroy());
        upstream.on("error", () => socket.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      const address = proxy.address();
      return `127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    },
  });
  client = plainPaymentClient(stack.routerGrpc, TEST_TOKEN);
});
afterAll(async () => {
  client?.close();
  await stack?.stop();
  proxy?.close();
});

const request = (key: string) => ({
  idempotencyKey: key,
  amount: { currency: "IDR", minorUnits: "1500000" },
  qris: {},
});
const charges = async () =>
  (await simulatorControl<{ charges: number }>(stack.simulatorUrl, "/sim/stats")).charges;

/** A raw unary call with identity serialization: the bytes a non-TypeScript client would send. */
function rawUnary(path: string, body: Buffer, token?: string): Promise<Buffer> {
  const raw = new Client(stack.routerGrpc, credentials.createInsecure());
  const metadata = new Metadata();
  if (token !== undefined) metadata.set("authorization", `Bearer ${token}`);
  const identity = (bytes: Buffer): Buffer => bytes;
  return new Promise((resolve, reject) =>
    raw.makeUnaryRequest(
      path,
      identity,
      identity,
      body,
      metadata,
      { deadline: new Date(Date.now() + 5_000) },
      (error, value) => {
        raw.close();
        if (error || value === undefined) reject(error ?? new Error("no response"));
        else resolve(value);
      },
    ),
  );
}

describe("router", () => {
  it("reuses one connection to the adapter for many payments", async () => {
    for (let i = 0; i < 20; i++) await client.call("CreatePayment", request(`channel-${i}`));
    expect(adapterConnections).toBe(1);
  });

  it("replays an idempotent CreatePayment with byte-identical response bytes", async () => {
    // CreatePaymentRequest{idempotency_key: "bytes-1", amount: {currency: "IDR", minor_units: 1500000}, qris: {}}
    // written by hand, so the comparison is of what travels on the wire.
    const key = Buffer.from("bytes-1");
    const money = Buffer.concat([
      Buffer.from([0x0a, 0x03]),
      Buffer.from("IDR"),
      Buffer.from([0x10, 0xe0, 0xc6, 0x5b]),
    ]);
    const body = Buffer.concat([
      Buffer.from([0x0a, key.length]),
      key,
      Buffer.from([0x12, money.length]),
      money,
      Buffer.from([0x1a, 0x00]),
    ]);
    const first = await rawUnary("/payments.v1.PaymentService/CreatePayment", body, TEST_TOKEN);
    const replay = await rawUnary("/payments.v1.PaymentService/CreatePayment", body, TEST_TOKEN);
    expect(first.length).toBeGreaterThan(50);
    expect(replay.equals(first)).toBe(true);
  });

  it("answers grpc.health.v1 Check with SERVING", async () => {
    // HealthCheckRequest{} is empty; HealthCheckResponse{status: SERVING} is field 1 = 1.
    expect([...(await rawUnary("/grpc.health.v1.Health/Check", Buffer.alloc(0)))]).toEqual([0x08, 0x01]);
  });

  it("lists PaymentService through server reflection", async () => {
    const raw = new Client(stack.routerGrpc, credentials.createInsecure());
    const identity = (bytes: Buffer): Buffer => bytes;
    const call = raw.makeBidiStreamRequest(
      "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      identity,
      identity,
    );
    const answer = new Promise<Buffer>((resolve, reject) => {
      call.once("data", resolve);
      call.once("error", reject);
    });
    call.write(Buffer.from([0x3a, 0x00])); // ServerReflectionRequest{list_services: ""} (field 7)
    const bytes = await answer;
    call.end();
    raw.close();
    expect(bytes.toString("latin1")).toContain("payments.v1.PaymentService");
  });

  it("propagates the caller's deadline to the adapter and flags the payment instead of failing it", async () => {
    const before = await charges();
    const key = "deadline-1";
    await simulatorControl(stack.simulatorUrl, "/sim/config", { latencyMs: 3_000 });
    try {
      const error = await rejection(
        client.call("CreatePayment", { ...request(key), merchantReference: key }, { deadlineMs: 500 }),
      );
      expect(error.code).toBe(4); // DEADLINE_EXCEEDED
      // The router's own adapter timeout is 15 s: seeing the payment flagged within 2 s proves the
      // caller's 500 ms deadline reached the adapter call.
      const flagged = await waitFor(
        async () => {
          const { payments } = await client.call<{
            payments: PlainPayment[] & { merchantReference?: string }[];
          }>("ListPayments", {
            statuses: ["PAYMENT_STATUS_PENDING"],
          });
          return payments.find(
            (payment) =>
              (payment as { merchantReference?: string }).merchantReference === key && payment.outcomeUnknown,
          );
        },
        2_000,
        "the payment flagged outcome_unknown",
      );
      expect(flagged.status).toBe("PAYMENT_STATUS_PENDING");
    } finally {
      await simulatorControl(stack.simulatorUrl, "/sim/config", { latencyMs: 0 });
    }
    // Retrying with the same key resolves it against the provider: one charge, never two.
    const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", {
      ...request(key),
      merchantReference: key,
    });
    expect(payment.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
    expect(payment.outcomeUnknown).toBe(false);
    await waitFor(
      async () => ((await charges()) === before + 1 ? true : undefined),
      5_000,
      "exactly one charge",
    );
    expect(await charges()).toBe(before + 1);
  });

  it("answers IDEMPOTENCY_KEY_IN_USE to a concurrent request with the same key", async () => {
    const before = await charges();
    await simulatorControl(stack.simulatorUrl, "/sim/config", { latencyMs: 500 });
    try {
      const inUse = { ...request("in-use-1"), merchantReference: "in-use-1" };
      const first = client.call<{ payment: PlainPayment }>("CreatePayment", inUse);
      // The key is claimed before the payment row is written: once the row exists, the first call
      // holds the key and is waiting on the (slow) provider.
      await waitFor(
        async () => {
          const { payments } = await client.call<{
            payments: Array<PlainPayment & { merchantReference: string }>;
          }>("ListPayments", { statuses: ["PAYMENT_STATUS_PENDING"] });
          return payments.some((payment) => payment.merchantReference === "in-use-1") ? true : undefined;
        },
        5_000,
        "the first call's payment row",
      );
      const second = await rejection(client.call("CreatePayment", inUse));
      expect(second.code).toBe(10); // ABORTED
      expect(errorInfoFromMetadata(second.metadata)?.reason).toBe("IDEMPOTENCY_KEY_IN_USE");
      expect((await first).payment.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");
    } finally {
      await simulatorControl(stack.simulatorUrl, "/sim/config", { latencyMs: 0 });
    }
    expect(await charges()).toBe(before + 1);
  });

  it("pages through ListPayments with stable tokens, scoped to the caller", async () => {
    const other = plainPaymentClient(stack.routerGrpc, OTHER_TOKEN);
    try {
      const mine: string[] = [];
      for (let i = 0; i < 5; i++)
        mine.push(
          (await other.call<{ payment: PlainPayment }>("CreatePayment", request(`page-${i}`))).payment.id,
        );
      const seen: string[] = [];
      let pageToken = "";
      do {
        const page = await other.call<{ payments: PlainPayment[]; nextPageToken: string }>("ListPayments", {
          pageSize: 2,
          pageToken,
        });
        expect(page.payments.length).toBeLessThanOrEqual(2);
        seen.push(...page.payments.map((payment) => payment.id));
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      expect(seen).toEqual([...mine].reverse()); // newest first, each exactly once

      // The first caller sees none of them, and cannot fetch one by id.
      const theirs = await client.call<{ payments: PlainPayment[] }>("ListPayments", { pageSize: 100 });
      expect(theirs.payments.filter((payment) => mine.includes(payment.id))).toEqual([]);
      const error = await rejection(client.call("GetPayment", { paymentId: mine[0] }));
      expect(error.code).toBe(5);

      const first = await other.call<{ nextPageToken: string }>("ListPayments", { pageSize: 2 });
      const misuse = await rejection(
        other.call("ListPayments", {
          pageSize: 2,
          pageToken: first.nextPageToken,
          statuses: ["PAYMENT_STATUS_FAILED"],
        }),
      );
      expect(errorInfoFromMetadata(misuse.metadata)).toMatchObject({
        reason: "INVALID_FIELD",
        metadata: { field: "page_token" },
      });
    } finally {
      other.close();
    }
  });

  it("cancels an unpaid payment at the provider, and refuses to cancel it twice", async () => {
    const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", request("cancel-1"));
    const { payment: canceled } = await client.call<{ payment: PlainPayment }>("CancelPayment", {
      paymentId: payment.id,
      reason: "customer left",
    });
    expect(canceled.status).toBe("PAYMENT_STATUS_CANCELED");
    const paid = await fetch(`${stack.simulatorUrl}/sim/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ partnerReferenceNo: payment.id }),
    });
    expect(paid.ok).toBe(false); // the bank no longer accepts payment for a cancelled QR
    const again = await rejection(client.call("CancelPayment", { paymentId: payment.id }));
    expect(again.code).toBe(9); // FAILED_PRECONDITION
    expect(errorInfoFromMetadata(again.metadata)?.reason).toBe("PAYMENT_NOT_CANCELABLE");
  });

  it("ends WatchPayment of an unknown payment with NOT_FOUND instead of hanging", async () => {
    const started = Date.now();
    const error = await rejection(
      client.stream("WatchPayment", { paymentId: "pay_00000000000000000000000000" }),
    );
    expect(error.code).toBe(5);
    expect(errorInfoFromMetadata(error.metadata)?.reason).toBe("PAYMENT_NOT_FOUND");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("streams a payment's changes with WatchPayment until it is terminal", async () => {
    const { payment } = await client.call<{ payment: PlainPayment }>("CreatePayment", request("watch-1"));
    let first: (() => void) | undefined;
    const started = new Promise<void>((resolve) => {
      first = resolve;
    });
    const watched = client.stream<{ payment: PlainPayment; previousStatus: string }>(
      "WatchPayment",
      { paymentId: payment.id },
      () => first?.(),
    );
    await started;
    await simulatorControl(stack.simulatorUrl, "/sim/pay", { partnerReferenceNo: payment.id });
    const messages = await watched;
    expect(messages.map((message) => [message.previousStatus, message.payment.status])).toEqual([
      ["PAYMENT_STATUS_UNSPECIFIED", "PAYMENT_STATUS_REQUIRES_ACTION"],
      ["PAYMENT_STATUS_REQUIRES_ACTION", "PAYMENT_STATUS_SUCCEEDED"],
    ]);
  });
});
