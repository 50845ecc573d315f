import { createPublicKey, createVerify } from "node:crypto";
import { createTestClock, waitFor } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRemittanceSimulator, loadTestKeys, type RemittanceSimulator } from "./index.ts";
import { control, makeTransfer, startReceiver, type WebhookReceiver } from "./test-support.ts";
import { wiseWebhookTime } from "./webhook-event.ts";

const publicKey = createPublicKey(loadTestKeys().webhookPublicKey);
const verifies = (body: string | Buffer, signature: unknown) =>
  createVerify("sha256").update(body).verify(publicKey, String(signature), "base64");

let simulator: RemittanceSimulator;
let receiver: WebhookReceiver;
/** A webhook body with its per-attempt `sent_at` blanked, to compare deliveries of one change. */
const withoutSentAt = (body: Buffer) => body.toString("utf8").replace(/"sent_at":"[^"]*"/, '"sent_at":""');
const sentAt = (body: Buffer | string) => (JSON.parse(body.toString()) as { sent_at: string }).sent_at;
const states = () =>
  receiver.received.map(
    (r) => (JSON.parse(r.body.toString("utf8")) as { data: { current_state: string } }).data.current_state,
  );

beforeAll(async () => {
  receiver = await startReceiver();
  simulator = await createRemittanceSimulator({ notifyRetryDelaysMs: [10, 20] });
});
beforeEach(() => {
  simulator.reset();
  simulator.configure({ notifyUrl: receiver.url });
  receiver.received.length = 0;
  receiver.replies.length = 0;
});
afterAll(async () => {
  await simulator.close();
  await receiver.close();
});

describe("transfers#state-change webhooks", () => {
  it("POSTs each state change in docs/providers.md's shape, signed over the raw body", async () => {
    const made = await makeTransfer(simulator, { fund: false });
    const funded = await control(simulator, "POST", "/sim/advance", {
      transferId: made.transferId,
      to: "processing",
    });
    expect(funded.body).toMatchObject({ notified: [{ state: "processing", status: 200 }] });
    const [webhook] = receiver.received;
    if (webhook === undefined) throw new Error("no webhook");
    expect(webhook.path).toBe("/webhooks/remittance");
    expect(webhook.headers["content-type"]).toBe("application/json");
    expect(webhook.headers["x-delivery-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const text = webhook.body.toString("utf8");
    expect(text).toMatch(
      new RegExp(
        `^\\{"data":\\{"resource":\\{"id":${made.transferId},"profile_id":${simulator.profileId},"account_id":\\d+,"type":"transfer"\\},"current_state":"processing","previous_state":"incoming_payment_waiting","occurred_at":"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"\\},"subscription_id":"[0-9a-f-]{36}","event_type":"transfers#state-change","schema_version":"2.0.0","sent_at":"[^"]+"\\}$`,
      ),
    );
    expect(verifies(webhook.body, webhook.headers["x-signature-sha256"])).toBe(true);
    expect(verifies(text.replace("processing", "cancelled"), webhook.headers["x-signature-sha256"])).toBe(
      false,
    );
  });

  it("sends the funding and cancellation changes of the API too", async () => {
    const funded = await makeTransfer(simulator);
    const unfunded = await makeTransfer(simulator, { fund: false });
    await fetch(`${simulator.url}/v1/transfers/${unfunded.transferId}/cancel`, {
      method: "PUT",
      headers: { authorization: `Bearer ${simulator.apiToken}` },
    });
    // Wait for the simulator's record of both attempts, not just their arrival: it is written after
    // the receiver answers, and one landing after the next test's reset would count there.
    await waitFor(() => (simulator.stats().webhooksDelivered === 2 ? true : undefined));
    expect(states().sort()).toEqual(["cancelled", "processing"]);
    expect(funded.transferId).not.toBe(unfunded.transferId);
  });

  it("retries a failed delivery with the same bytes but sent_at, re-signed, and records every attempt", async () => {
    const made = await makeTransfer(simulator, { fund: false });
    receiver.replies.push(500, 503);
    await simulator.advance({ transferId: made.transferId }, "processing");
    await waitFor(() => (simulator.stats().webhooksDelivered === 1 ? true : undefined));
    expect(simulator.deliveries().map((d) => d.status)).toEqual([500, 503, 200]);
    expect(new Set(receiver.received.map((r) => withoutSentAt(r.body))).size).toBe(1);
    expect(receiver.received.every((r) => verifies(r.body, r.headers["x-signature-sha256"]))).toBe(true);
    expect(new Set(receiver.received.map((r) => r.headers["x-delivery-id"])).size).toBe(3);
  });

  it("delivers every webhook twice with duplicateCallbacks, newest first with reorderCallbacks", async () => {
    await control(simulator, "POST", "/sim/config", { duplicateCallbacks: true, reorderCallbacks: true });
    const made = await makeTransfer(simulator, { fund: false });
    await simulator.advance({ transferId: made.transferId }, "outgoing_payment_sent");
    expect(states()).toEqual([
      "outgoing_payment_sent",
      "outgoing_payment_sent",
      "funds_converted",
      "funds_converted",
      "processing",
      "processing",
    ]);
  });

  it("re-sends the latest change on /sim/notify, identical bytes but sent_at", async () => {
    const made = await makeTransfer(simulator, { fund: false });
    await simulator.advance({ transferId: made.transferId }, "processing");
    const again = await control(simulator, "POST", "/sim/notify", { transferId: made.transferId });
    expect(again.body).toEqual({ notified: [{ state: "processing", status: 200 }] });
    const [first, second] = receiver.received;
    if (first === undefined || second === undefined) throw new Error("expected two deliveries");
    expect(withoutSentAt(second.body)).toBe(withoutSentAt(first.body));
  });

  it("hands out a signed webhook for the current state without sending it; forged does not verify", async () => {
    const made = await makeTransfer(simulator, { fund: false });
    const genuine = await control(simulator, "POST", "/sim/webhook", { transferId: made.transferId });
    const forged = await control(simulator, "POST", "/sim/webhook", {
      transferId: made.transferId,
      forged: true,
      path: "/hooks/x",
    });
    const headers = (answer: typeof genuine) => answer.body.headers as Record<string, string>;
    expect(genuine.body.path).toBe("/webhooks/remittance");
    expect(forged.body.path).toBe("/hooks/x");
    expect(JSON.parse(String(genuine.body.body))).toMatchObject({
      data: { current_state: "incoming_payment_waiting", previous_state: null },
    });
    expect(verifies(String(genuine.body.body), headers(genuine)["X-Signature-SHA256"])).toBe(true);
    expect(verifies(String(forged.body.body), headers(forged)["X-Signature-SHA256"])).toBe(false);
    expect(receiver.received).toHaveLength(0);
  });

  it("stamps sent_at when each delivery is made, not when the change happened", async () => {
    // Receivers refuse a webhook whose signed sent_at is minutes old, so a late redelivery of an
    // old change must carry the time it was sent.
    const clock = createTestClock();
    const timed = await createRemittanceSimulator({ clock: clock.now });
    try {
      timed.configure({ notifyUrl: receiver.url });
      const made = await makeTransfer(timed, { fund: false });
      await timed.advance({ transferId: made.transferId }, "processing");
      clock.advance(10 * 60_000);
      await timed.notify({ transferId: made.transferId });
      const handedOut = timed.webhook({ transferId: made.transferId }, { forged: false });
      const [first, second] = receiver.received;
      if (first === undefined || second === undefined) throw new Error("expected two deliveries");
      const later = wiseWebhookTime(clock.now());
      expect(sentAt(first.body)).not.toBe(later);
      expect(sentAt(second.body)).toBe(later);
      expect(sentAt(handedOut.body)).toBe(later);
      expect(verifies(second.body, second.headers["x-signature-sha256"])).toBe(true);
      expect(withoutSentAt(second.body)).toBe(withoutSentAt(first.body));
    } finally {
      await timed.close();
    }
  });
});
