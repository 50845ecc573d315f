import { type CallbackReceiver, startCallbackReceiver } from "@paymesh/sandbox-kit";
import { verifyAsymmetricSignature } from "@paymesh/snap";
import { waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createQrisSimulator, type QrisSimulator } from "./simulator.ts";
import { loadTestKeys } from "./test-keys.ts";
import { accessToken, control, generateBody, snapPost } from "./test-support.ts";

describe("payment notifications", () => {
  let receiver: CallbackReceiver<string>;
  let received: CallbackReceiver<string>["received"];
  // Status codes the receiver answers, one per request; 200 once they run out.
  let replies: number[];
  let notifyUrl: string;
  let simulator: QrisSimulator;
  let token: string;
  const { bankPublicKey } = loadTestKeys();

  const verifies = (path: string, headers: Record<string, string | string[] | undefined>, body: string) =>
    verifyAsymmetricSignature({
      method: "POST",
      path,
      body,
      timestamp: String(headers["x-timestamp"] ?? headers["X-TIMESTAMP"]),
      signature: String(headers["x-signature"] ?? headers["X-SIGNATURE"]),
      publicKey: bankPublicKey,
    });

  beforeAll(async () => {
    receiver = await startCallbackReceiver({
      path: "/webhooks/qris",
      decode: (bytes) => bytes.toString("utf8"),
    });
    ({ received, replies, url: notifyUrl } = receiver);
    simulator = await createQrisSimulator({ notifyRetryDelaysMs: [10, 20] });
    token = await accessToken(simulator);
  });
  beforeEach(() => {
    received.length = 0;
    replies.length = 0;
    simulator.reset();
  });
  afterAll(async () => {
    await simulator.close();
    await receiver.close();
  });

  it("pays without a notifyUrl: notified null", async () => {
    await snapPost(simulator, "/v1.0/qr/qr-mpm-generate", token, generateBody("n-none"));
    const paid = await control(simulator, "POST", "/sim/pay", { partnerReferenceNo: "n-none" });
    expect(paid).toMatchObject({ status: 200, body: { status: "paid", notified: null } });
  });

  it("POSTs a notification signed with the bank key that the bank public key verifies", async () => {
    await control(simulator, "POST", "/sim/config", { notifyUrl });
    const generated = await snapPost(
      simulator,
      "/v1.0/qr/qr-mpm-generate",
      token,
      generateBody("n-paid", "15000.00"),
    );
    const paid = await control(simulator, "POST", "/sim/pay", { partnerReferenceNo: "n-paid" });
    expect(paid.body).toMatchObject({ status: "paid", notified: 200 });
    expect(received).toHaveLength(1);
    const [notification] = received;
    if (notification === undefined) throw new Error("no notification");
    expect(notification.path).toBe("/webhooks/qris");
    expect(notification.headers).toMatchObject({
      "content-type": "application/json",
      "x-partner-id": "PAYMESHTEST01",
      "channel-id": "95221",
    });
    expect(notification.headers["x-external-id"]).toEqual(expect.any(String));
    expect(JSON.parse(notification.body)).toMatchObject({
      originalReferenceNo: generated.body.referenceNo,
      originalPartnerReferenceNo: "n-paid",
      latestTransactionStatus: "00",
      transactionStatusDesc: "Success",
      amount: { value: "15000.00", currency: "IDR" },
      additionalInfo: { paidTime: expect.any(String) },
    });
    expect(verifies("/webhooks/qris", notification.headers, notification.body)).toBe(true);
    expect(verifies("/webhooks/qris", notification.headers, notification.body.replace("00", "06"))).toBe(
      false,
    );
  });

  it("retries a non-2xx answer with backoff and records every attempt", async () => {
    await control(simulator, "POST", "/sim/config", { notifyUrl });
    await snapPost(simulator, "/v1.0/qr/qr-mpm-generate", token, generateBody("n-retry"));
    replies.push(500, 503);
    const paid = await control(simulator, "POST", "/sim/pay", { partnerReferenceNo: "n-retry" });
    expect(paid.body.notified).toBe(500);
    const stats = await waitFor(() => {
      const now = simulator.stats();
      return now.notificationsDelivered === 1 ? now : undefined;
    });
    expect(stats.notifications).toBe(3);
    expect(simulator.deliveries().map((d) => d.status)).toEqual([500, 503, 200]);
    const bodies = new Set(received.map((r) => r.body));
    expect(bodies.size).toBe(1);
    expect(new Set(received.map((r) => r.headers["x-external-id"])).size).toBe(3);
  });

  it("hands out a signed webhook without sending it; a forged one does not verify", async () => {
    await snapPost(simulator, "/v1.0/qr/qr-mpm-generate", token, generateBody("n-hook"));
    const genuine = await control(simulator, "POST", "/sim/webhook", {
      partnerReferenceNo: "n-hook",
      path: "/webhooks/qris",
    });
    const forged = await control(simulator, "POST", "/sim/webhook", {
      partnerReferenceNo: "n-hook",
      path: "/webhooks/qris",
      forged: true,
    });
    const headersOf = (answer: typeof genuine) => answer.body.headers as Record<string, string>;
    expect(JSON.parse(String(genuine.body.body))).toMatchObject({ latestTransactionStatus: "03" });
    expect(verifies("/webhooks/qris", headersOf(genuine), String(genuine.body.body))).toBe(true);
    expect(verifies("/webhooks/qris", headersOf(forged), String(forged.body.body))).toBe(false);
    expect(received).toHaveLength(0);
  });

  it("re-sends the current state on /sim/notify (a duplicate delivery)", async () => {
    await control(simulator, "POST", "/sim/config", { notifyUrl });
    await snapPost(simulator, "/v1.0/qr/qr-mpm-generate", token, generateBody("n-dup"));
    await control(simulator, "POST", "/sim/pay", { partnerReferenceNo: "n-dup" });
    const again = await control(simulator, "POST", "/sim/notify", { partnerReferenceNo: "n-dup" });
    expect(again.body.notified).toBe(200);
    expect(received.map((r) => r.body)).toEqual([received[0]?.body, received[0]?.body]);
    const repay = await control(simulator, "POST", "/sim/pay", { partnerReferenceNo: "n-dup" });
    expect(repay).toMatchObject({ status: 409, body: { error: "payment is paid" } });
  });
});
