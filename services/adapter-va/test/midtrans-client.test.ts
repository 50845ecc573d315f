import { transportRejection } from "@paymesh/adapter-kit/testing";
import { createTestClock, unusedPort, useFixture, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { createVaSimulator, simulatorDefaults } from "../sandbox/index.ts";
import { type Receiver, startReceiver } from "../sandbox/test-support.ts";
import { createMidtransClient, type MidtransClientOptions, midtransMasker } from "../src/midtrans-client.ts";
import type { ChargeRequest } from "../src/midtrans-wire.ts";

const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));
const simulator = useFixture(() => createVaSimulator({ clock: clock.now }));

function client(overrides: Partial<MidtransClientOptions> = {}) {
  return createMidtransClient({
    baseUrl: simulator().url,
    serverKey: simulatorDefaults.serverKey,
    clock: clock.now,
    ...overrides,
  });
}

function charge(
  orderId: string,
  grossAmount = 25_000,
  bank: ChargeRequest["bank_transfer"] = { bank: "bca" },
): ChargeRequest {
  return {
    payment_type: "bank_transfer",
    transaction_details: { order_id: orderId, gross_amount: grossAmount },
    bank_transfer: bank,
  };
}

describe("createMidtransClient against the simulator", () => {
  it("charges with Basic auth and records the exchange", async () => {
    const answer = await client().charge(charge("o-1"));
    expect(answer).toMatchObject({
      ok: true,
      statusCode: "201",
      httpStatus: 200,
      body: { transaction_status: "pending" },
    });
    expect(answer.exchange).toMatchObject({
      operation: "charge",
      httpMethod: "POST",
      url: `${simulator().url}/v2/charge`,
      requestBody:
        '{"payment_type":"bank_transfer","transaction_details":{"order_id":"o-1","gross_amount":25000},"bank_transfer":{"bank":"bca"}}',
      responseStatus: 200,
      startedAt: clock.now(),
    });
    expect(answer.exchange.responseBody).toMatch(/"va_number":"\*{4}\d{4}"/);
  });

  it("reads errors from the body, whatever the HTTP status: 406 duplicate and 400 validation in HTTP 200", async () => {
    await client().charge(charge("o-dup"));
    expect(await client().charge(charge("o-dup"))).toMatchObject({
      ok: false,
      statusCode: "406",
      httpStatus: 200,
    });
    const invalid = await client().charge(charge("o-bad", 25_000, { bank: "bni", va_number: "123" }));
    expect(invalid).toMatchObject({
      ok: false,
      statusCode: "400",
      httpStatus: 200,
      validationMessages: [expect.stringMatching(/^bank_transfer\.va_number/)],
    });
    expect(simulator().stats().charges).toBe(1);
  });

  it("returns the server key refusal (HTTP 401) as an answer", async () => {
    expect(await client({ serverKey: "SB-Mid-server-wrong" }).status("o-1")).toMatchObject({
      ok: false,
      statusCode: "401",
      httpStatus: 401,
    });
  });

  it("reads an expired VA's status_code 407 as a transaction, and 404 as an error", async () => {
    await client().charge(charge("o-exp"));
    clock.advance(86_400_000);
    expect(await client().status("o-exp")).toMatchObject({
      ok: true,
      statusCode: "407",
      body: { transaction_status: "expire" },
    });
    expect(await client().status("o-none")).toMatchObject({ ok: false, statusCode: "404", httpStatus: 404 });
  });

  it("cancels, and reads the settlement report", async () => {
    await client().charge(charge("o-c"));
    expect(await client().cancel("o-c")).toMatchObject({ ok: true, body: { transaction_status: "cancel" } });
    expect(await client().settlements("2024-03-05", undefined)).toMatchObject({
      ok: true,
      body: { batchId: "G000PAYMESH-20240305", records: [], nextCursor: undefined },
    });
  });

  it("sends X-Override-Notification when configured, which routes the notifications", async () => {
    const receiver: Receiver = await startReceiver();
    try {
      await client({ overrideNotificationUrl: `${receiver.url}/webhooks/va` }).charge(charge("o-over"));
      await waitFor(() => (receiver.received.length === 1 ? true : undefined));
      expect(receiver.received[0]?.path).toBe("/webhooks/va");
    } finally {
      await receiver.close();
    }
  });
});

describe("transport failures", () => {
  it("connection refused: sent false", async () => {
    const port = await unusedPort();
    const error = await transportRejection(
      client({ baseUrl: `http://127.0.0.1:${port}` }).charge(charge("x")),
    );
    expect(error.sent).toBe(false);
    expect(error.exchange.transportError).toContain("ECONNREFUSED");
  });

  it("connection reset after the request was read: sent true", async () => {
    simulator().configure({ resetConnections: 1 });
    const error = await transportRejection(client().charge(charge("o-reset")));
    expect(error.sent).toBe(true);
    expect(error.exchange).toMatchObject({
      operation: "charge",
      requestBody: expect.stringContaining("o-reset"),
    });
  });

  it("timeout: sent true, and Midtrans may still have created the VA", async () => {
    simulator().configure({ latencyMs: 300 });
    const error = await transportRejection(client({ timeoutMs: 100 }).charge(charge("o-slow")));
    expect(error).toMatchObject({ sent: true, exchange: { transportError: "timed out" } });
    await waitFor(() => (simulator().stats().charges === 1 ? true : undefined));
  });

  it("aborted before sending: sent false, nothing reaches the simulator", async () => {
    const error = await transportRejection(client().status("x", AbortSignal.abort()));
    expect(error.sent).toBe(false);
    expect(simulator().stats().requests.status).toBeUndefined();
  });

  it("an answer that is not Midtrans JSON: sent true, the body kept (masked) for the record", async () => {
    const gateway: typeof fetch = async () =>
      new Response("<html>502 Bad Gateway 1234567890</html>", { status: 502 });
    const error = await transportRejection(client({ fetch: gateway }).charge(charge("o-html")));
    expect(error.sent).toBe(true);
    expect(error.exchange).toMatchObject({
      responseStatus: 502,
      responseBody: "<html>502 Bad Gateway ****7890</html>",
      transportError: "malformed answer: not JSON (HTTP 502)",
    });
  });

  it("a transaction answer missing its ids: sent true (the outcome is unknown)", async () => {
    const broken: typeof fetch = async () =>
      new Response('{"status_code":"201","transaction_status":"pending","gross_amount":"1.00"}', {
        status: 200,
      });
    const error = await transportRejection(client({ fetch: broken }).charge(charge("o-odd")));
    expect(error).toMatchObject({
      sent: true,
      exchange: { transportError: "malformed answer: lacks transaction_id (HTTP 200)" },
    });
  });
});

describe("midtransMasker: what the exchange records keep", () => {
  it("keeps the last 4 digits of account numbers and the first letter of names", () => {
    expect(midtransMasker.maskField("va_number", "123456789012")).toBe("****9012");
    expect(midtransMasker.maskField("va_number", "123")).toBe("****");
    expect(midtransMasker.maskField("first_name", "Budi Santoso")).toBe("B***");
    expect(midtransMasker.maskField("first_name", "")).toBe("");
  });

  it("masks every VA number and name in a JSON body, however deep, and redacts the signature", () => {
    const body = JSON.stringify({
      va_numbers: [{ bank: "bca", va_number: "12345000011112222" }],
      permata_va_number: "8562000012345678",
      bank_transfer: { va_number: "1234567890", permata: { recipient_name: "SITI" } },
      customer_details: { first_name: "Siti", last_name: "Aminah" },
      gross_amount: "25000.00",
      signature_key: "9f2c",
    });
    expect(JSON.parse(midtransMasker.maskBody(body))).toEqual({
      va_numbers: [{ bank: "bca", va_number: "****2222" }],
      permata_va_number: "****5678",
      bank_transfer: { va_number: "****7890", permata: { recipient_name: "S***" } },
      customer_details: { first_name: "S***", last_name: "A***" },
      gross_amount: "25000.00",
      signature_key: "[redacted]",
    });
  });

  it("masks long digit runs in a body that is not JSON", () => {
    expect(midtransMasker.maskBody("va 12345678901 amount 25000")).toBe("va ****8901 amount 25000");
    expect(midtransMasker.maskBody("")).toBe("");
  });
});
