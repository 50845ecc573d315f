import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@paymesh/test-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { createVaSimulator } from "./simulator.ts";
import { chargeBody, control, midtrans, startReceiver } from "./test-support.ts";

describe("a simulator restarted on its data folder", () => {
  it("still answers for its transactions, pays them with a notification to where the charge said, and keeps its counters", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "va-sim-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const receiver = await startReceiver();
    onTestFinished(() => receiver.close());

    const before = await createVaSimulator({ dataDir });
    const charged = await midtrans(before, "POST", "/v2/charge", chargeBody("order-r", 150_000), {
      headers: { "X-Override-Notification": `${receiver.url}/webhooks/va` },
    });
    expect(charged.body.status_code).toBe("201");
    const notified = () => (before.stats().notificationsDelivered === 1 ? true : undefined);
    await waitFor(notified, 5000, "the pending notification");
    await before.close();

    // No notifyUrl this time: the notification can only go where the charge's override said.
    const after = await createVaSimulator({ dataDir });
    onTestFinished(() => after.close());
    const pending = await midtrans(after, "GET", "/v2/order-r/status");
    expect(pending.body).toMatchObject({
      transaction_id: charged.body.transaction_id,
      transaction_status: "pending",
      va_numbers: charged.body.va_numbers,
    });
    expect(
      (await midtrans(after, "POST", "/v2/charge", chargeBody("order-r", 150_000))).body.status_code,
    ).toBe("406");

    const paid = await control(after, "POST", "/sim/pay", { order_id: "order-r" });
    expect(paid.body).toMatchObject({ transaction_status: "settlement", notified: 200 });
    expect(receiver.received.map(({ path, body }) => [path, JSON.parse(body)])).toEqual([
      ["/webhooks/va", expect.objectContaining({ order_id: "order-r", transaction_status: "pending" })],
      ["/webhooks/va", expect.objectContaining({ order_id: "order-r", transaction_status: "settlement" })],
    ]);
    expect((await midtrans(after, "GET", "/v2/order-r/status")).body.transaction_status).toBe("settlement");
    expect(after.stats()).toMatchObject({ charges: 1, notifications: 2, notificationsDelivered: 2 });
  });
});
