import { createHash } from "node:crypto";
import { createTestClock, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simulatorDefaults } from "./options.ts";
import { createVaSimulator, type VaSimulator } from "./simulator.ts";
import { chargeBody, control, midtrans, type Receiver, startReceiver } from "./test-support.ts";

/** Verifies a notification body the way a merchant does, written out here on purpose. */
function verifies(body: string, serverKey = simulatorDefaults.serverKey): boolean {
  const n = JSON.parse(body) as Record<string, string>;
  const expected = createHash("sha512")
    .update(`${n.order_id}${n.status_code}${n.gross_amount}${serverKey}`)
    .digest("hex");
  return n.signature_key === expected;
}

const statuses = (receiver: Receiver) =>
  receiver.received.map((r) => (JSON.parse(r.body) as { transaction_status: string }).transaction_status);

describe("HTTP notifications", () => {
  const clock = createTestClock();
  let receiver: Receiver;
  let other: Receiver;
  let simulator: VaSimulator;

  beforeAll(async () => {
    receiver = await startReceiver();
    other = await startReceiver();
    simulator = await createVaSimulator({ clock: clock.now, notifyRetryDelaysMs: [10, 20] });
  });
  beforeEach(() => {
    for (const r of [receiver, other]) {
      r.received.length = 0;
      r.replies.length = 0;
    }
    simulator.reset();
    simulator.configure({ notifyUrl: `${receiver.url}/webhooks/va` });
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.close();
    await other.close();
  });

  it("notifies pending on charge and settlement on payment, signed in the body", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-1", 100_000));
    await waitFor(() => (receiver.received.length === 1 ? true : undefined));
    const paid = await control(simulator, "POST", "/sim/pay", { order_id: "n-1" });
    expect(paid.body).toMatchObject({ transaction_status: "settlement", notified: 200 });
    expect(statuses(receiver)).toEqual(["pending", "settlement"]);
    const [pending, settlement] = receiver.received;
    expect(settlement?.path).toBe("/webhooks/va");
    expect(settlement?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(settlement?.body ?? "{}")).toMatchObject({
      order_id: "n-1",
      status_code: "200",
      gross_amount: "100000.00",
      status_message: "midtrans payment notification",
      transaction_id: expect.any(String),
    });
    expect(JSON.parse(pending?.body ?? "{}")).toMatchObject({
      status_code: "201",
      transaction_status: "pending",
    });
    expect(verifies(pending?.body ?? "")).toBe(true);
    expect(verifies(settlement?.body ?? "")).toBe(true);
    expect(verifies((settlement?.body ?? "").replace('"100000.00"', '"1000000.00"'))).toBe(false);
  });

  it("retries a non-2xx answer with backoff, byte-identical, recording every attempt", async () => {
    receiver.replies.push(500, 503);
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-retry"));
    await waitFor(() => (simulator.stats().notificationsDelivered === 1 ? true : undefined));
    expect(simulator.deliveries().map((d) => d.status)).toEqual([500, 503, 200]);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it("duplicateCallbacks delivers every notification twice", async () => {
    simulator.configure({ duplicateCallbacks: true });
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-dup"));
    await simulator.pay("n-dup");
    expect(statuses(receiver)).toEqual(["pending", "pending", "settlement", "settlement"]);
  });

  it("reorderCallbacks delivers each notification after the next one of the same order", async () => {
    await control(simulator, "POST", "/sim/config", { reorderCallbacks: true });
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-ooo"));
    const paid = await simulator.pay("n-ooo");
    expect(paid.delivery.status).toBe(200);
    await waitFor(() => (receiver.received.length === 2 ? true : undefined));
    expect(statuses(receiver)).toEqual(["settlement", "pending"]);
    // A held notification goes out when reordering is switched off.
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-held"));
    expect(receiver.received).toHaveLength(2);
    await control(simulator, "POST", "/sim/config", { reorderCallbacks: false });
    await waitFor(() => (receiver.received.length === 3 ? true : undefined));
  });

  it("sends to X-Override-Notification URLs instead of the dashboard URL", async () => {
    const headers = { "X-Override-Notification": `${other.url}/webhooks/va` };
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-over"), { headers });
    await simulator.pay("n-over");
    expect(statuses(other)).toEqual(["pending", "settlement"]);
    expect(receiver.received).toHaveLength(0);
    const tooMany = {
      "X-Override-Notification": ["a", "b", "c", "d"].map((p) => `${other.url}/${p}`).join(","),
    };
    expect(
      (await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-4"), { headers: tooMany })).body
        .status_code,
    ).toBe("400");
  });

  it("notifies expiry from /sim/expire and from the clock passing expiry_time", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-exp"));
    const expired = await control(simulator, "POST", "/sim/expire", { order_id: "n-exp" });
    expect(expired.body).toMatchObject({ transaction_status: "expire", notified: 200 });
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-late"));
    clock.advance(86_400_000);
    expect((await midtrans(simulator, "GET", "/v2/n-late/status")).body.status_code).toBe("407");
    await waitFor(() => (receiver.received.length === 4 ? true : undefined));
    expect(statuses(receiver)).toEqual(["pending", "expire", "pending", "expire"]);
    expect(JSON.parse(receiver.received[3]?.body ?? "{}")).toMatchObject({ status_code: "407" });
  });

  it("re-sends the current state on /sim/notify, byte for byte", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-again"));
    await simulator.pay("n-again");
    expect((await control(simulator, "POST", "/sim/notify", { order_id: "n-again" })).body.notified).toBe(
      200,
    );
    const [, first, second] = receiver.received;
    expect(second?.body).toBe(first?.body);
  });

  it("hands out a signed webhook without sending it; a forged one does not verify", async () => {
    await midtrans(simulator, "POST", "/v2/charge", chargeBody("n-hook"));
    await waitFor(() => (receiver.received.length === 1 ? true : undefined));
    const genuine = await control(simulator, "POST", "/sim/webhook", { order_id: "n-hook" });
    const forged = await control(simulator, "POST", "/sim/webhook", { order_id: "n-hook", forged: true });
    expect(genuine.body).toMatchObject({
      path: "/webhooks/va",
      headers: { "Content-Type": "application/json" },
    });
    expect(verifies(String(genuine.body.body))).toBe(true);
    expect(verifies(String(forged.body.body))).toBe(false);
    expect(receiver.received).toHaveLength(1);
    expect((await control(simulator, "POST", "/sim/webhook", { order_id: "nobody" })).status).toBe(404);
  });
});
