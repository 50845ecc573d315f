import { createHash, createVerify, type KeyObject } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { invalidField, PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { isRecord, parseWiseJson } from "./wise-json.ts";
import { mapWiseState } from "./wise-status.ts";

type ParseWebhookResponseInit = MessageInitShape<typeof adapterv1.ParseWebhookResponseSchema>;

/** Wise's signature header (PROVIDERS.md, "Wise"); headers arrive lower-cased. */
const SIGNATURE_HEADER = "x-signature-sha256";

/** What the router answers Wise with: any 2xx stops Wise's retries. */
const REPLY = { httpStatus: 200, contentType: "text/plain", body: new Uint8Array() };

/**
 * True when `signature` is a base64 RSA-SHA256 (PKCS#1 v1.5) signature of exactly `body` by the
 * holder of `publicKey`. Malformed base64 or a wrong key is simply false.
 */
export function verifyWiseSignature(body: Uint8Array, signature: string, publicKey: KeyObject): boolean {
  if (signature === "") return false;
  try {
    return createVerify("sha256").update(body).verify(publicKey, signature, "base64");
  } catch {
    return false;
  }
}

/**
 * Wise's timestamps: ISO 8601 in UTC with or without milliseconds ("2020-01-01T12:34:56Z"), or
 * the space-separated "2020-01-01 12:34:56" of older answers, which is also UTC.
 */
function parseWiseTime(value: string): Date | undefined {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(" ", "T")}Z` : value;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Verifies and normalizes a Wise webhook. The signature is checked over the raw bytes before
 * anything is parsed; a missing header fails the same way as a wrong one. A
 * `transfers#state-change` becomes one event whose id is a digest of (transfer id, state,
 * occurred_at): Wise delivers at least once, so a redelivery has the same id, and
 * `occurred_at` lets the router order deliveries that arrive out of order. Wise does not echo
 * the customerTransactionId, so events carry the provider reference (the transfer id), not the
 * payment id. Other event types are acknowledged with no events.
 */
export function parseWiseWebhook(
  request: adapterv1.ParseWebhookRequest,
  publicKey: KeyObject,
): ParseWebhookResponseInit {
  const signature = request.headers.find((h) => h.name.toLowerCase() === SIGNATURE_HEADER)?.value ?? "";
  if (!verifyWiseSignature(request.body, signature, publicKey)) {
    throw new PaymeshError(
      ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      "Wise webhook signature (X-Signature-SHA256) did not verify",
    );
  }
  let parsed: unknown;
  try {
    parsed = parseWiseJson(Buffer.from(request.body).toString("utf8"));
  } catch {
    throw invalidField("body", "webhook body is not JSON");
  }
  if (!isRecord(parsed)) throw invalidField("body", "webhook body is not a JSON object");
  if (parsed.event_type !== "transfers#state-change") return { events: [], reply: REPLY };
  const data = isRecord(parsed.data) ? parsed.data : {};
  const resource = isRecord(data.resource) ? data.resource : {};
  const transferId = typeof resource.id === "string" ? resource.id : "";
  const state = typeof data.current_state === "string" ? data.current_state : "";
  const occurredText = typeof data.occurred_at === "string" ? data.occurred_at : "";
  if (transferId === "") throw invalidField("body.data.resource.id", "is required");
  if (state === "") throw invalidField("body.data.current_state", "is required");
  const occurredAt = parseWiseTime(occurredText);
  if (occurredAt === undefined)
    throw invalidField("body.data.occurred_at", `"${occurredText}" is not a timestamp`);
  const mapped = mapWiseState(state);
  const digest = createHash("sha256").update(`${transferId}|${state}|${occurredText}`).digest("hex");
  return {
    events: [
      {
        eventId: `wise-${digest.slice(0, 32)}`,
        providerReference: transferId,
        status: mapped.status,
        providerStatus: state,
        occurredAt: timestampFromDate(occurredAt),
        ...(mapped.failure === undefined ? {} : { failure: mapped.failure }),
      },
    ],
    reply: REPLY,
  };
}
