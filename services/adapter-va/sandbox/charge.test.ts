import { createTestClock } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signatureKey } from "./signature.ts";
import { createVaSimulator, type VaSimulator } from "./simulator.ts";
import { chargeBody, midtrans } from "./test-support.ts";

const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));
let simulator: VaSimulator;
let ids = 0;

beforeAll(async () => {
  simulator = await createVaSimulator({
    clock: clock.now,
    newId: () => `tx-${++ids}`,
    newDigits: (count) => "7".repeat(count),
  });
});
beforeEach(() => simulator.reset());
afterAll(() => simulator.close());

describe("POST /v2/charge", () => {
  it("issues a BCA VA: status_code 201, pending, va_numbers, 24 h expiry in WIB", async () => {
    const { status, body } = await midtrans(simulator, "POST", "/v2/charge", chargeBody("order-1", 25_000));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status_code: "201",
      status_message: "Success, Bank Transfer transaction is created",
      order_id: "order-1",
      gross_amount: "25000.00",
      currency: "IDR",
      payment_type: "bank_transfer",
      transaction_status: "pending",
      transaction_time: "2024-03-05 10:00:00",
      expiry_time: "2024-03-06 10:00:00",
      va_numbers: [{ bank: "bca", va_number: "123457777777777" }],
    });
    expect(body.permata_va_number).toBeUndefined();
    expect(simulator.stats().charges).toBe(1);
  });

  it("answers Permata in its own shape: permata_va_number, no va_numbers", async () => {
    const { body } = await midtrans(
      simulator,
      "POST",
      "/v2/charge",
      chargeBody("order-p", 30_000, { bank: "permata", permata: { recipient_name: "BUDI" } }),
    );
    expect(body).toMatchObject({ status_code: "201", permata_va_number: "8562777777777777" });
    expect(body.va_numbers).toBeUndefined();
  });

  it.each([
    ["bca", "123456"],
    ["bca", "12345678901"],
    ["bni", "12345678"],
    ["bni", "123456789012"],
    ["bri", "123456789012345678"],
    ["permata", "1234567890"],
  ])("accepts a custom %s VA number of a valid length (%s) and echoes it", async (bank, vaNumber) => {
    const { body } = await midtrans(
      simulator,
      "POST",
      "/v2/charge",
      chargeBody(`c-${vaNumber}`, 20_000, { bank, va_number: vaNumber }),
    );
    expect(body.status_code).toBe("201");
    expect(JSON.stringify(body)).toContain(`"${vaNumber}"`);
  });

  it.each([
    ["bca", "12345"],
    ["bca", "123456789012"],
    ["bni", "1234567890"],
    ["bri", "12345678901234567"],
    ["permata", "12345678901"],
    ["bca", "12345a"],
  ])("refuses a custom %s VA number %s: 400 in an HTTP 200, nothing created", async (bank, vaNumber) => {
    const { status, body } = await midtrans(
      simulator,
      "POST",
      "/v2/charge",
      chargeBody("c-bad", 20_000, { bank, va_number: vaNumber }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ status_code: "400", id: expect.any(String) });
    expect(body.validation_messages).toEqual([expect.stringMatching(/^bank_transfer\.va_number /)]);
    expect(simulator.stats().charges).toBe(0);
  });

  it("lists every validation problem at once", async () => {
    const { body } = await midtrans(simulator, "POST", "/v2/charge", {
      payment_type: "gopay",
      transaction_details: { order_id: "has spaces", gross_amount: 100.5 },
      bank_transfer: { bank: "mandiri" },
      custom_expiry: { expiry_duration: 0, unit: "week" },
    });
    expect(body.status_code).toBe("400");
    expect(body.validation_messages).toHaveLength(6);
  });

  it("refuses a second charge with the same order_id (406 in an HTTP 200); still one charge", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("dup", 25_000));
    const again = await midtrans(simulator, "POST", "/v2/charge", chargeBody("dup", 99_000, { bank: "bni" }));
    expect(again).toMatchObject({ status: 200, body: { status_code: "406" } });
    expect(simulator.stats()).toMatchObject({ charges: 1, requests: { charge: 2 } });
  });

  it("refuses a missing or wrong server key with HTTP 401 and creates nothing", async () => {
    const wrong = await midtrans(simulator, "POST", "/v2/charge", chargeBody("auth"), {
      serverKey: "SB-Mid-server-wrong",
    });
    expect(wrong).toMatchObject({ status: 401, body: { status_code: "401" } });
    const missing = await midtrans(simulator, "POST", "/v2/charge", chargeBody("auth"), {
      headers: { Authorization: "" },
    });
    expect(missing.status).toBe(401);
    expect(simulator.stats().charges).toBe(0);
  });

  it("honours custom_expiry: order_time + expiry_duration in the given unit", async () => {
    const { body } = await midtrans(
      simulator,
      "POST",
      "/v2/charge",
      chargeBody(
        "exp",
        25_000,
        { bank: "bri" },
        {
          custom_expiry: { order_time: "2024-03-05 09:59:30 +0700", expiry_duration: 90, unit: "minute" },
        },
      ),
    );
    expect(body).toMatchObject({ status_code: "201", expiry_time: "2024-03-05 11:29:30" });
    const past = await midtrans(
      simulator,
      "POST",
      "/v2/charge",
      chargeBody(
        "exp-past",
        25_000,
        { bank: "bri" },
        {
          custom_expiry: { order_time: "2024-03-05 08:00:00 +0700", expiry_duration: 1, unit: "hour" },
        },
      ),
    );
    expect(past.body).toMatchObject({
      status_code: "400",
      validation_messages: ["custom_expiry must end in the future"],
    });
  });

  it("magic amounts: deny, rate limit, 500, 503 create nothing usable; 504 creates, then fails", async () => {
    const deny = await midtrans(simulator, "POST", "/v2/charge", chargeBody("m-deny", 10_202));
    expect(deny).toMatchObject({ status: 200, body: { status_code: "202", transaction_status: "deny" } });
    const cases: Array<[number, number, string]> = [
      [10_429, 429, "429"],
      [10_500, 500, "500"],
      [10_503, 503, "503"],
    ];
    for (const [amount, httpStatus, statusCode] of cases) {
      const answer = await midtrans(simulator, "POST", "/v2/charge", chargeBody(`m-${amount}`, amount));
      expect(answer, String(amount)).toMatchObject({ status: httpStatus, body: { status_code: statusCode } });
      const status = await midtrans(simulator, "GET", `/v2/m-${amount}/status`);
      expect(status.body.status_code, String(amount)).toBe("404");
    }
    expect(simulator.stats().charges).toBe(0);
    const lost = await midtrans(simulator, "POST", "/v2/charge", chargeBody("m-504", 10_504));
    expect(lost).toMatchObject({ status: 504, body: { status_code: "504" } });
    const found = await midtrans(simulator, "GET", "/v2/m-504/status");
    expect(found.body).toMatchObject({ status_code: "201", transaction_status: "pending" });
    expect(simulator.stats().charges).toBe(1);
  });

  it("answers unknown paths and methods in the Midtrans error shape", async () => {
    expect(await midtrans(simulator, "GET", "/v2/nothing/here")).toMatchObject({
      status: 404,
      body: { status_code: "404" },
    });
    expect(await midtrans(simulator, "GET", "/v2/charge")).toMatchObject({
      status: 405,
      body: { status_code: "405" },
    });
  });

  it("includes the notification signature_key in status answers", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("sig", 25_000));
    const { body } = await midtrans(simulator, "GET", "/v2/sig/status");
    expect(body.signature_key).toBe(
      signatureKey("sig", "201", "25000.00", "FAKE-SB-Mid-server-paymesh-simulator-only"),
    );
  });
});
