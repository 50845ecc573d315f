import { createHash, createVerify, type KeyObject } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  invalidField,
  isRecord,
  type JsonRecord,
  PaymeshError,
  parseExactJson,
  webhookClaimsMetadata,
} from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { mapWiseState } from "./wise-status.ts";

type ParseWebhookResponseInit = MessageInitShape<typeof adapterv1.ParseWebhookResponseSchema>;

/** Wise's signature header; headers arrive lower-cased. */
const SIGNATURE_HEADER = "x-signature-sha256";

/** What the router answers Wise with: any 2xx stops Wise's retries. */
const REPLY = { httpStatus: 200, contentType: "text/plain", body: new Uint8Array() };

/**
 * How far a webhook's signed `sent_at` may be from our clock, either way, unless configured: five
 * minutes, wide enough for clock skew and delivery latency, narrow enough that a captured webhook
 * cannot be replayed much later.
 */
export const DEFAULT_WEBHOOK_TOLERANCE_MS = 300_000;

/** What checking a Wise webhook needs. */
export interface WiseWebhookCheck {
  /** Wise's webhook public key. */
  publicKey: KeyObject;
  /** The adapter's clock, against which `sent_at` is compared. */
  clock: () => Date;
  /** Largest allowed distance between `sent_at` and the clock, past or future. */
  toleranceMs: number;
}

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
 * Verifies and normalizes a Wise webhook. The signature is checked over the raw bytes before
 * anything is parsed; a missing header fails the same way as a wrong one. The signature covers the
 * whole body, `sent_at` included, so a body sent outside the tolerance (either way) — or with no
 * readable `sent_at` — is a replay of a captured webhook, or one we cannot tell from it, and is
 * refused like a bad signature. Every refusal whose body still reads as a state change carries its
 * transfer id as a claim (adapter-kit webhook-claims.ts), so the router can ask Wise for the real
 * status instead of dropping a possibly genuine late delivery.
 *
 * A `transfers#state-change` becomes one event whose id is a digest of (transfer id, state,
 * occurred_at) — not `sent_at`, which differs per delivery: Wise delivers at least once, so a
 * redelivery has the same id, and `occurred_at` lets the router order deliveries that arrive out
 * of order. Wise does not echo the customerTransactionId, so events carry the provider reference
 * (the transfer id), not the payment id. Other event types are acknowledged with no events.
 */
export function parseWiseWebhook(
  request: adapterv1.ParseWebhookRequest,
  check: WiseWebhookCheck,
): ParseWebhookResponseInit {
  const signature = request.headers.find((h) => h.name.toLowerCase() === SIGNATURE_HEADER)?.value ?? "";
  if (!verifyWiseSignature(request.body, signature, check.publicKey)) {
    throw refusal("Wise webhook signature (X-Signature-SHA256) did not verify", readJson(request.body));
  }
  const parsed = readJson(request.body);
  if (parsed === undefined) throw invalidField("body", "webhook body is not JSON");
  if (!isRecord(parsed)) throw invalidField("body", "webhook body is not a JSON object");
  const sentText = typeof parsed.sent_at === "string" ? parsed.sent_at : "";
  const sentAt = parseWiseTime(sentText);
  if (sentAt === undefined) throw refusal("Wise webhook sent_at is missing or not a timestamp", parsed);
  const now = check.clock();
  if (Math.abs(now.getTime() - sentAt.getTime()) > check.toleranceMs) {
    throw refusal(
      `Wise webhook sent_at ${sentText} is outside the replay window (±${check.toleranceMs} ms of ${now.toISOString()})`,
      parsed,
    );
  }

  if (parsed.event_type !== "transfers#state-change") return { events: [], reply: REPLY };
  const change = readStateChange(parsed);
  const mapped = mapWiseState(change.state);
  const digest = createHash("sha256")
    .update(`${change.transferId}|${change.state}|${change.occurredText}`)
    .digest("hex");
  return {
    events: [
      {
        eventId: `wise-${digest.slice(0, 32)}`,
        providerReference: change.transferId,
        status: mapped.status,
        providerStatus: change.state,
        occurredAt: timestampFromDate(change.occurredAt),
        ...(mapped.failure === undefined ? {} : { failure: mapped.failure }),
      },
    ],
    reply: REPLY,
  };
}

/** The fields of a `transfers#state-change` the adapter reads. */
interface StateChange {
  transferId: string;
  state: string;
  occurredText: string;
  occurredAt: Date;
}

/** Reads a state change; INVALID_ARGUMENT naming the field when one is missing or malformed. */
function readStateChange(body: JsonRecord): StateChange {
  const data = isRecord(body.data) ? body.data : {};
  const resource = isRecord(data.resource) ? data.resource : {};
  const transferId = typeof resource.id === "string" ? resource.id : "";
  const state = typeof data.current_state === "string" ? data.current_state : "";
  const occurredText = typeof data.occurred_at === "string" ? data.occurred_at : "";
  if (transferId === "") throw invalidField("body.data.resource.id", "is required");
  if (state === "") throw invalidField("body.data.current_state", "is required");
  const occurredAt = parseWiseTime(occurredText);
  if (occurredAt === undefined)
    throw invalidField("body.data.occurred_at", `"${occurredText}" is not a timestamp`);
  return { transferId, state, occurredText, occurredAt };
}

/** The body as Wise JSON (numbers kept as their source text), or undefined when it is not JSON. */
function readJson(body: Uint8Array): unknown {
  try {
    return parseExactJson(Buffer.from(body).toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * WEBHOOK_SIGNATURE_INVALID (UNAUTHENTICATED, a 401 from the router). When the body reads as a
 * state change, its transfer id goes along as the claimed provider reference.
 */
function refusal(message: string, body: unknown): PaymeshError {
  return new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, message, {
    metadata: webhookClaimsMetadata({ providerReference: claimedTransferId(body) }),
  });
}

function claimedTransferId(body: unknown): string | undefined {
  if (!isRecord(body) || body.event_type !== "transfers#state-change") return undefined;
  try {
    return readStateChange(body).transferId;
  } catch {
    return undefined;
  }
}

/**
 * Wise's timestamps: ISO 8601 in UTC with or without milliseconds
 * ("2020-01-01T12:34:56Z"), or the space-separated "2020-01-01 12:34:56" of older answers, which is
 * also UTC. Stricter than `new Date(text)`, which reads "2024" as a date and an offset-less ISO
 * time in the server's own zone: a time without an offset is read as UTC, and anything that is not
 * a real calendar time is undefined.
 */
const WISE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/** The instant a Wise timestamp names, or undefined when it is not one. */
export function parseWiseTime(value: string): Date | undefined {
  const match = WISE_TIME.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", offset = "Z"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const valid =
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(s) <= 59 &&
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  if (!valid) return undefined;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
