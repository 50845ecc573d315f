import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { CLAIMED_PAYMENT_ID_KEY, CLAIMED_PROVIDER_REFERENCE_KEY } from "@paymesh/adapter-kit";
import { thrown } from "@paymesh/adapter-kit/testing";
import { adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { loadTestKeys } from "../sandbox/index.ts";
import { parseWiseWebhook, type WiseWebhookCheck } from "../src/wise-webhook.ts";

const keys = loadTestKeys();
const publicKey = createPublicKey(keys.webhookPublicKey);
const privateKey = createPrivateKey(keys.webhookPrivateKey);

/** The `sent_at` of the test bodies, and the adapter's clock unless a test moves it. */
const SENT_AT = "2024-03-05T03:00:06Z";
const TOLERANCE_MS = 300_000;

/** The check as the provider builds it, its clock standing at `now`. */
function at(now: Date | string = SENT_AT, toleranceMs = TOLERANCE_MS): WiseWebhookCheck {
  const instant = new Date(now);
  return { publicKey, clock: () => instant, toleranceMs };
}

/** Parses and returns the response as a full message, so fields read with their real types. */
function parse(
  webhook: adapterv1.ParseWebhookRequest,
  check: WiseWebhookCheck = at(),
): adapterv1.ParseWebhookResponse {
  return create(adapterv1.ParseWebhookResponseSchema, parseWiseWebhook(webhook, check));
}

function body(
  state: string,
  occurredAt = "2024-03-05T03:00:05Z",
  previous: string | null = "processing",
  sentAt = SENT_AT,
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
    sent_at: sentAt,
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
  const error = thrown(run);
  return { reason: error.reason, code: error.code };
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
    expect(rejection(() => parseWiseWebhook(request(text, forged), at()))).toEqual(expected);
    expect(
      rejection(() =>
        parseWiseWebhook(request(text.replace("outgoing_payment_sent", "bounced_back"), sign(text)), at()),
      ),
    ).toEqual(expected);
    expect(rejection(() => parseWiseWebhook(request(text, null), at()))).toEqual(expected);
    expect(rejection(() => parseWiseWebhook(request(text, "not base64 !!"), at()))).toEqual(expected);
    expect(rejection(() => parseWiseWebhook(request(text, ""), at()))).toEqual(expected);
  });

  it("acknowledges other event types with no events, and refuses a signed body missing the state", () => {
    const other = JSON.stringify({ event_type: "balances#credit", data: {}, sent_at: SENT_AT });
    expect(parse(request(other))).toMatchObject({ events: [], reply: { httpStatus: 200 } });
    const noState = body("x").replace('"current_state":"x",', "");
    expect(rejection(() => parseWiseWebhook(request(noState), at()))).toEqual({
      reason: ErrorReason.INVALID_FIELD,
      code: 3,
    });
  });
});

describe("parseWiseWebhook: replay window on the signed sent_at", () => {
  const sent = new Date(SENT_AT).getTime();
  const text = body("outgoing_payment_sent");

  it("accepts a webhook sent up to the tolerance before or after the adapter's clock", () => {
    for (const now of [sent, sent + TOLERANCE_MS, sent - TOLERANCE_MS]) {
      expect(parse(request(text), at(new Date(now))).events).toHaveLength(1);
    }
  });

  it("refuses a correctly signed webhook sent too long ago or too far ahead, naming its transfer", () => {
    for (const now of [sent + TOLERANCE_MS + 1_000, sent - TOLERANCE_MS - 1_000]) {
      const error = thrown(() => parseWiseWebhook(request(text), at(new Date(now))));
      expect({ reason: error.reason, code: error.code, metadata: error.metadata }).toEqual({
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        code: 16,
        metadata: { [CLAIMED_PROVIDER_REFERENCE_KEY]: "50000001" },
      });
      expect(error.message).toContain("outside the replay window");
    }
  });

  it("uses the configured tolerance", () => {
    const twoSecondsLate = new Date(sent + 2_000);
    expect(parse(request(text), at(twoSecondsLate, 5_000)).events).toHaveLength(1);
    expect(rejection(() => parseWiseWebhook(request(text), at(twoSecondsLate, 1_000)))).toEqual({
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      code: 16,
    });
  });

  it("refuses a signed webhook whose sent_at is malformed or missing", () => {
    const bodies = [
      body("outgoing_payment_sent", undefined, undefined, "yesterday"),
      body("outgoing_payment_sent", undefined, undefined, "2024"),
      body("outgoing_payment_sent", undefined, undefined, "2024-02-30T03:00:06Z"),
      text.replace(`,"sent_at":"${SENT_AT}"`, ""),
      text.replace(`"sent_at":"${SENT_AT}"`, '"sent_at":1709607606'),
    ];
    for (const signed of bodies) {
      const error = thrown(() => parseWiseWebhook(request(signed), at()));
      expect({ reason: error.reason, code: error.code, metadata: error.metadata }, signed).toEqual({
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        code: 16,
        metadata: { [CLAIMED_PROVIDER_REFERENCE_KEY]: "50000001" },
      });
    }
  });

  it("applies to every event type; one that names no transfer claims nothing", () => {
    const other = JSON.stringify({ event_type: "balances#credit", data: {}, sent_at: SENT_AT });
    const error = thrown(() => parseWiseWebhook(request(other), at(new Date(sent + TOLERANCE_MS + 1_000))));
    expect({ reason: error.reason, metadata: error.metadata }).toEqual({
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      metadata: {},
    });
  });

  it("reads sent_at with an offset or without one as the instant it names (no offset is UTC)", () => {
    const late = new Date(sent + TOLERANCE_MS);
    const offset = body("outgoing_payment_sent", undefined, undefined, "2024-03-05T10:00:06+07:00");
    const bare = body("outgoing_payment_sent", undefined, undefined, "2024-03-05 03:00:06");
    expect(parse(request(offset), at(late)).events).toHaveLength(1);
    expect(parse(request(bare), at(late)).events).toHaveLength(1);
    expect(rejection(() => parseWiseWebhook(request(offset), at(new Date(late.getTime() + 1_000))))).toEqual({
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      code: 16,
    });
  });
});

describe("parseWiseWebhook: claims of a webhook that does not verify", () => {
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const forge = (text: string) => createSign("sha256").update(text).sign(otherKey, "base64");
  const metadataOf = (webhook: adapterv1.ParseWebhookRequest) => {
    const error = thrown(() => parseWiseWebhook(webhook, at()));
    expect(error.reason).toBe(ErrorReason.WEBHOOK_SIGNATURE_INVALID);
    return error.metadata;
  };

  it("carries the transfer id a forged or unsigned state change names, and no payment id", () => {
    const text = body("outgoing_payment_sent");
    const claim = { [CLAIMED_PROVIDER_REFERENCE_KEY]: "50000001" };
    expect(metadataOf(request(text, forge(text)))).toEqual(claim);
    expect(metadataOf(request(text, null))).toEqual(claim);
    expect(metadataOf(request(text, forge(text)))).not.toHaveProperty(CLAIMED_PAYMENT_ID_KEY);
  });

  it("carries nothing when the body is not a state change naming a transfer", () => {
    const noId = body("outgoing_payment_sent").replace('"id":50000001,', "");
    const huge = body("outgoing_payment_sent").replace('"id":50000001', `"id":${"9".repeat(500)}`);
    const other = JSON.stringify({ event_type: "balances#credit", data: {}, sent_at: SENT_AT });
    for (const text of ["not json {", "[1,2]", "", other, noId, huge]) {
      expect(metadataOf(request(text, forge(text))), text.slice(0, 40)).toEqual({});
    }
  });
});
