import { create } from "@bufbuild/protobuf";
import { adapterv1, PaymentStatus } from "@paymesh/proto";
import type { QueueMessage } from "@paymesh/queue";
import { describe, expect, it } from "vitest";
import { readWebhookJob, webhookJobMessage } from "./webhook-jobs.ts";

const message = (body: string, id = "qris:evt-1"): QueueMessage => ({
  id,
  body: new TextEncoder().encode(body),
  headers: {},
  attempts: 1,
  routingKey: "paymesh.webhooks",
});

describe("webhook jobs", () => {
  it("round-trips a verified event through a readable JSON message keyed by adapter and event id", () => {
    const event = create(adapterv1.WebhookEventSchema, {
      eventId: "snap-abc",
      paymentId: "pay_1",
      providerReference: "ref-1",
      status: PaymentStatus.SUCCEEDED,
      amount: { currency: "IDR", minorUnits: 2_500_000n },
    });
    const outgoing = webhookJobMessage({ adapter: "qris", event });
    expect(outgoing.id).toBe("qris:snap-abc");
    expect(JSON.parse(new TextDecoder().decode(outgoing.body))).toEqual({
      adapter: "qris",
      event: {
        eventId: "snap-abc",
        paymentId: "pay_1",
        providerReference: "ref-1",
        status: "PAYMENT_STATUS_SUCCEEDED",
        amount: { currency: "IDR", minorUnits: "2500000" },
      },
    });
    const read = readWebhookJob({ ...message(""), body: outgoing.body });
    expect(read.adapter).toBe("qris");
    expect(read.event).toEqual(event);
  });

  it.each([
    ["not JSON", "{nope", "message qris:evt-1 is not a JSON webhook job"],
    ["an array", "[1]", 'message qris:evt-1 is not a webhook job: it needs "adapter" and "event"'],
    ["no adapter", '{"event":{}}', "message qris:evt-1 names no adapter"],
    ["no event", '{"adapter":"qris"}', "message qris:evt-1 carries no event"],
  ])("refuses a body that is %s, naming the message", (_, body, error) => {
    expect(() => readWebhookJob(message(body))).toThrow(error);
  });

  it("refuses an event that does not fit the schema", () => {
    expect(() => readWebhookJob(message('{"adapter":"qris","event":{"status":"MAYBE"}}'))).toThrow();
  });
});
