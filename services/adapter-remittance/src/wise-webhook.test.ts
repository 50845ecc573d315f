import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { isPaymeshError } from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { loadTestKeys } from "../sandbox/index.ts";
import { parseWiseWebhook } from "./wise-webhook.ts";

const keys = loadTestKeys();
const publicKey = createPublicKey(keys.webhookPublicKey);
const privateKey = createPrivateKey(keys.webhookPrivateKey);

/** Parses and returns the response as a full message, so fields read with their real types. */
function parse(webhook: adapterv1.ParseWebhookRequest): adapterv1.ParseWebhookResponse {
  return create(adapterv1.ParseWebhookResponseSchema, parseWiseWebhook(webhook, publicKey));
}

function body(
  state: string,
  occurredAt = "2024-03-05T03:00:05Z",
  previous: string | null = "processing",
): string {
  return JSON.stringify({
    data: {
      resource: { id: 0, profile_id: 30000001, account_id: 40000001, type: "transfer" },
      current_state: state,
      previous_state: previous,
      occurred_at: occurredAt,
    },
    subscription_id: "f2264fe5-a0f5-4dab-a2c4-1b3c2c2b5c3a",
    event_type: "transfers#state-change",
    schema_version: "2.0.0",
    sent_at: "2024-03-05T03:00:06Z",
  }).replace('"id":0', '"id":50000001');
}

/** A webhook request; `signature` null sends no signature header at all. */
function request(text: string, signature: string | null = sign(text)): adapterv1.ParseWebhookRequest {
  return create(adapterv1.ParseWebhookRequestSchema, {
    httpMethod: "POST",
    path: "/webhooks/remittance",
    headers: [
      { name: "content-type", value: "application/json" },
      ...(signature === null ? [] : [{ name: "x-signature-sha256", value: signature }]),
    ],
    body: new TextEncoder().encode(text),
  });
}

function sign(text: string): string {
  return createSign("sha256").update(text).sign(privateKey, "base64");
}

function rejection(run: () => unknown): { reason: ErrorReason; code: number } {
  try {
    run();
  } catch (error) {
    if (isPaymeshError(error)) return { reason: error.reason, code: error.code };
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("parseWiseWebhook", () => {
  it("verifies a signed state change and normalizes it", () => {
    const parsed = parse(request(body("outgoing_payment_sent")));
    expect(parsed.reply).toMatchObject({ httpStatus: 200 });
    expect(parsed.events).toHaveLength(1);
    const [event] = parsed.events;
    expect(event).toMatchObject({
      providerReference: "50000001",
      status: PaymentStatus.SUCCEEDED,
      providerStatus: "outgoing_payment_sent",
    });
    expect(event?.eventId).toMatch(/^wise-[0-9a-f]{32}$/);
    expect(event?.paymentId).toBe("");
    const occurredAt = event?.occurredAt;
    expect(occurredAt && timestampDate(occurredAt)).toEqual(new Date("2024-03-05T03:00:05Z"));
  });

  it("gives a redelivery the same event id, and a later change a different one", () => {
    const id = (text: string) => parse(request(text)).events[0]?.eventId;
    expect(id(body("processing"))).toBe(id(body("processing")));
    expect(id(body("processing"))).not.toBe(id(body("funds_converted")));
    expect(id(body("processing", "2024-03-05T03:00:05Z"))).not.toBe(
      id(body("processing", "2024-03-05T03:09:00Z")),
    );
  });

  it("reports bounced_back (after outgoing_payment_sent) as FAILED, PAYMENT_RETURNED", () => {
    const [event] = parse(
      request(body("bounced_back", "2024-03-06T09:00:00Z", "outgoing_payment_sent")),
    ).events;
    expect(event).toMatchObject({
      status: PaymentStatus.FAILED,
      failure: { reason: ErrorReason.PAYMENT_RETURNED, providerCode: "bounced_back" },
    });
  });

  it("rejects a forged signature, a tampered body, a missing header and garbage as WEBHOOK_SIGNATURE_INVALID", () => {
    const text = body("outgoing_payment_sent");
    const expected = { reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID, code: 16 };
    // Any other key: the simulator's forged webhooks use a fresh one the same way.
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const forged = createSign("sha256").update(text).sign(otherKey, "base64");
    expect(rejection(() => parseWiseWebhook(request(text, forged), publicKey))).toEqual(expected);
    expect(
      rejection(() =>
        parseWiseWebhook(
          request(text.replace("outgoing_payment_sent", "bounced_back"), sign(text)),
          publicKey,
        ),
      ),
    ).toEqual(expected);
    expect(rejection(() => parseWiseWebhook(request(text, null), publicKey))).toEqual(expected);
    expect(rejection(() => parseWiseWebhook(request(text, "not base64 !!"), publicKey))).toEqual(expected);
    expect(rejection(() => parseWiseWebhook(request(text, ""), publicKey))).toEqual(expected);
  });

  it("acknowledges other event types with no events, and refuses a signed body missing the state", () => {
    const other = JSON.stringify({ event_type: "balances#credit", data: {} });
    expect(parse(request(other))).toMatchObject({ events: [], reply: { httpStatus: 200 } });
    const noState = body("x").replace('"current_state":"x",', "");
    expect(rejection(() => parseWiseWebhook(request(noState), publicKey))).toEqual({
      reason: ErrorReason.INVALID_FIELD,
      code: 3,
    });
  });
});
