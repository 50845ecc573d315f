import { generateKeyPairSync } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import {
  CLAIMED_PAYMENT_ID_KEY,
  CLAIMED_PROVIDER_REFERENCE_KEY,
  type PaymeshError,
} from "@paymesh/adapter-kit";
import { thrown } from "@paymesh/adapter-kit/testing";
import { adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import { asymmetricSignature, snapTimestamp } from "@paymesh/snap";
import { describe, expect, it } from "vitest";
import { loadTestKeys } from "../sandbox/index.ts";
import { parseSnapNotification, type SnapNotificationCheck } from "../src/snap-webhook.ts";

const keys = loadTestKeys();
const PATH = "/webhooks/qris";
const SENT = new Date("2024-03-05T03:00:06Z");
const TOLERANCE_MS = 300_000;
const PAYMENT_ID = "pay_01hqx7c9v2m4k8n6p3r5t7w9ya";
const REFERENCE = "A120240305100000001";

/** The check as the provider builds it, its clock standing at `now`. */
function at(now: Date = SENT, toleranceMs = TOLERANCE_MS): SnapNotificationCheck {
  return { bankPublicKey: keys.bankPublicKey, clock: () => now, toleranceMs };
}

function body(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    originalReferenceNo: REFERENCE,
    originalPartnerReferenceNo: PAYMENT_ID,
    latestTransactionStatus: "00",
    transactionStatusDesc: "Success",
    amount: { value: "25000.00", currency: "IDR" },
    ...fields,
  });
}

/**
 * A notification as the bank sends it: signed over `POST:path:bodyHash:X-TIMESTAMP` with `key`
 * (the bank's unless forged). `timestamp` is the exact header text; null leaves a header out.
 */
function notification(
  text: string,
  options: { timestamp?: string | null; signature?: string | null; key?: string } = {},
): adapterv1.ParseWebhookRequest {
  const timestamp = options.timestamp === undefined ? snapTimestamp(SENT) : options.timestamp;
  const signature =
    options.signature !== undefined
      ? options.signature
      : asymmetricSignature({
          method: "POST",
          path: PATH,
          body: text,
          timestamp: timestamp ?? "",
          privateKey: options.key ?? keys.bankPrivateKey,
        });
  return create(adapterv1.ParseWebhookRequestSchema, {
    httpMethod: "POST",
    path: PATH,
    headers: [
      { name: "content-type", value: "application/json" },
      ...(timestamp === null ? [] : [{ name: "x-timestamp", value: timestamp }]),
      ...(signature === null ? [] : [{ name: "x-signature", value: signature }]),
    ],
    body: new TextEncoder().encode(text),
  });
}

function parse(request: adapterv1.ParseWebhookRequest, check = at()): adapterv1.ParseWebhookResponse {
  return create(adapterv1.ParseWebhookResponseSchema, parseSnapNotification(request, check));
}

function refused(request: adapterv1.ParseWebhookRequest, check = at()): PaymeshError {
  return thrown(() => parseSnapNotification(request, check));
}

const bothClaims = { [CLAIMED_PAYMENT_ID_KEY]: PAYMENT_ID, [CLAIMED_PROVIDER_REFERENCE_KEY]: REFERENCE };
const outcome = (error: PaymeshError) => ({
  reason: error.reason,
  code: error.code,
  metadata: error.metadata,
});

describe("parseSnapNotification", () => {
  it("verifies a signed, fresh notification and normalizes it", () => {
    const parsed = parse(notification(body()));
    expect(parsed.events).toHaveLength(1);
    expect(parsed.events[0]).toMatchObject({
      paymentId: PAYMENT_ID,
      providerReference: REFERENCE,
      status: PaymentStatus.SUCCEEDED,
      providerStatus: "00",
      amount: { currency: "IDR", minorUnits: 25_000_00n },
    });
    expect(parsed.reply?.httpStatus).toBe(200);
  });
});

describe("parseSnapNotification: replay window on the signed X-TIMESTAMP", () => {
  it("accepts a notification stamped up to the tolerance before or after the adapter's clock", () => {
    for (const offset of [0, TOLERANCE_MS, -TOLERANCE_MS]) {
      const now = new Date(SENT.getTime() + offset);
      expect(parse(notification(body()), at(now)).events).toHaveLength(1);
    }
  });

  it("refuses a correctly signed notification stamped too long ago or too far ahead, with its claims", () => {
    for (const offset of [TOLERANCE_MS + 1_000, -TOLERANCE_MS - 1_000]) {
      const error = refused(notification(body()), at(new Date(SENT.getTime() + offset)));
      expect(outcome(error)).toEqual({
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        code: 16,
        metadata: bothClaims,
      });
      expect(error.message).toContain("outside the replay window");
    }
  });

  it("compares instants, whatever offset the bank wrote the timestamp in", () => {
    const utc = notification(body(), { timestamp: "2024-03-05T03:00:06Z" });
    const jakarta = notification(body(), { timestamp: "2024-03-05T10:00:06+07:00" });
    expect(parse(utc).events).toHaveLength(1);
    expect(parse(jakarta).events).toHaveLength(1);
    expect(refused(jakarta, at(new Date(SENT.getTime() + TOLERANCE_MS + 1_000))).reason).toBe(
      ErrorReason.WEBHOOK_SIGNATURE_INVALID,
    );
  });

  it("uses the configured tolerance", () => {
    const late = new Date(SENT.getTime() + 2_000);
    expect(parse(notification(body()), at(late, 5_000)).events).toHaveLength(1);
    expect(outcome(refused(notification(body()), at(late, 1_000)))).toEqual({
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      code: 16,
      metadata: bothClaims,
    });
  });

  it("refuses a correctly signed notification whose X-TIMESTAMP is malformed", () => {
    for (const timestamp of ["yesterday", "2024-03-05T10:00:06", "2024-02-30T10:00:06+07:00", "1709607606"]) {
      expect(outcome(refused(notification(body(), { timestamp }))), timestamp).toEqual({
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        code: 16,
        metadata: bothClaims,
      });
    }
  });
});

describe("parseSnapNotification: claims of a notification that does not verify", () => {
  const forgedKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  });
  const forged = (text: string) => notification(text, { key: String(forgedKey) });

  it("carries the payment id and bank reference a forged or unsigned notification names", () => {
    expect(outcome(refused(forged(body())))).toEqual({
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      code: 16,
      metadata: bothClaims,
    });
    expect(refused(notification(body(), { signature: null })).metadata).toEqual(bothClaims);
    expect(refused(notification(body(), { timestamp: null })).metadata).toEqual(bothClaims);
    expect(refused(notification(body(), { signature: "not base64 !!" })).metadata).toEqual(bothClaims);
  });

  it("carries only the ids the body names", () => {
    expect(refused(forged(body({ originalReferenceNo: "" }))).metadata).toEqual({
      [CLAIMED_PAYMENT_ID_KEY]: PAYMENT_ID,
    });
    expect(refused(forged(body({ originalPartnerReferenceNo: undefined }))).metadata).toEqual({
      [CLAIMED_PROVIDER_REFERENCE_KEY]: REFERENCE,
    });
  });

  it("carries nothing when the body is not a notification naming a payment", () => {
    const bodies = [
      "not json {",
      "",
      "[1,2]",
      JSON.stringify({ responseCode: "2005200" }),
      body({ latestTransactionStatus: undefined }),
      body({ originalReferenceNo: "", originalPartnerReferenceNo: "" }),
      body({ originalReferenceNo: "x".repeat(500), originalPartnerReferenceNo: "has spaces in it" }),
    ];
    for (const text of bodies) {
      expect(outcome(refused(forged(text))), text.slice(0, 40)).toEqual({
        reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
        code: 16,
        metadata: {},
      });
    }
  });
});
