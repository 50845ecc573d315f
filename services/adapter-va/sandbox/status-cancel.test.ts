import { createTestClock } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createVaSimulator, type VaSimulator } from "./simulator.ts";
import { chargeBody, control, midtrans } from "./test-support.ts";

const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));
let simulator: VaSimulator;

beforeAll(async () => {
  simulator = await createVaSimulator({ clock: clock.now });
});
beforeEach(() => {
  simulator.reset();
  clock.set(new Date("2024-03-05T03:00:00Z"));
});
afterAll(() => simulator.close());

describe("GET /v2/{order_id}/status", () => {
  it("reports pending, then settlement after /sim/pay, by order_id and by transaction_id", async () => {
    const charged = await midtrans(
      simulator,
      "POST",
      "/v2/charge",
      chargeBody("s-1", 50_000, { bank: "bni" }),
    );
    const pending = await midtrans(simulator, "GET", "/v2/s-1/status");
    expect(pending.body).toMatchObject({
      status_code: "201",
      transaction_status: "pending",
      status_message: "Success, transaction is found",
    });
    clock.advance(60_000);
    expect(await control(simulator, "POST", "/sim/pay", { order_id: "s-1" })).toMatchObject({
      status: 200,
      body: { transaction_status: "settlement", notified: null },
    });
    const settled = await midtrans(simulator, "GET", `/v2/${String(charged.body.transaction_id)}/status`);
    expect(settled.body).toMatchObject({
      status_code: "200",
      order_id: "s-1",
      transaction_status: "settlement",
      settlement_time: "2024-03-05 10:01:00",
      va_numbers: [{ bank: "bni" }],
    });
  });

  it("expires a pending VA when the clock passes expiry_time: status_code 407 with the full transaction", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("s-exp", 25_000));
    clock.advance(24 * 3_600_000);
    const { status, body } = await midtrans(simulator, "GET", "/v2/s-exp/status");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status_code: "407",
      transaction_status: "expire",
      gross_amount: "25000.00",
    });
    expect(await control(simulator, "POST", "/sim/pay", { order_id: "s-exp" })).toMatchObject({
      status: 409,
      body: { error: "transaction is expire" },
    });
  });

  it("answers 404 for an unknown order", async () => {
    expect(await midtrans(simulator, "GET", "/v2/nobody/status")).toMatchObject({
      status: 404,
      body: { status_code: "404" },
    });
  });
});

describe("POST /v2/{order_id}/cancel", () => {
  it("cancels a pending VA; a second cancel, or cancelling a settled one, is 412", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("c-1", 25_000, { bank: "permata" }));
    const cancelled = await midtrans(simulator, "POST", "/v2/c-1/cancel");
    expect(cancelled.body).toMatchObject({
      status_code: "200",
      transaction_status: "cancel",
      permata_va_number: expect.any(String),
    });
    expect((await midtrans(simulator, "POST", "/v2/c-1/cancel")).body.status_code).toBe("412");
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("c-2", 25_000));
    await simulator.pay("c-2");
    expect(await midtrans(simulator, "POST", "/v2/c-2/cancel")).toMatchObject({
      status: 200,
      body: { status_code: "412" },
    });
    expect((await midtrans(simulator, "POST", "/v2/nobody/cancel")).body.status_code).toBe("404");
  });
});

describe("GET /v2/settlements (simulator-only report)", () => {
  it("lists what settled on a WIB day, with the flat Rp4.000 fee", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("r-1", 100_000));
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("r-2", 20_000));
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("r-3", 30_000));
    await simulator.pay("r-1");
    clock.advance(14 * 3_600_000); // 2024-03-06 00:00 WIB
    await simulator.pay("r-2");
    const day1 = await midtrans(simulator, "GET", "/v2/settlements?date=2024-03-05");
    expect(day1.body).toMatchObject({
      status_code: "200",
      settlements: [
        {
          order_id: "r-1",
          gross_amount: "100000.00",
          fee_amount: "4000.00",
          settlement_time: "2024-03-05 10:00:00",
        },
      ],
    });
    const day2 = await midtrans(simulator, "GET", "/v2/settlements?date=2024-03-06");
    expect(day2.body.settlements).toEqual([expect.objectContaining({ order_id: "r-2" })]);
    expect((await midtrans(simulator, "GET", "/v2/settlements?date=tomorrow")).body.status_code).toBe("400");
    expect(
      (await midtrans(simulator, "GET", "/v2/settlements?date=2024-03-05", undefined, { serverKey: "x" }))
        .status,
    ).toBe(401);
  });
});
