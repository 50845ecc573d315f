import { createHash, timingSafeEqual } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  GrpcCode,
  type HttpExchange,
  invalidField,
  isProviderTransportError,
  PaymeshError,
  transportFailure,
  webhookClaimsMetadata,
} from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import type { XenditDisbursementClient } from "./xendit-client.ts";
import { xenditErrorOutcome } from "./xendit-error-map.ts";
import { readDisbursementState } from "./xendit-status.ts";
import { type Disbursement, readDisbursement } from "./xendit-wire.ts";

type ParseWebhookResponseInit = MessageInitShape<typeof adapterv1.ParseWebhookResponseSchema>;

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * True when the `x-callback-token` header equals the account's callback token, compared in
 * constant time over digests (equal lengths whatever was sent). A missing header never verifies.
 */
export function callbackTokenMatches(
  headers: ReadonlyArray<{ name: string; value: string }>,
  expected: string,
): boolean {
  const given = headers.find((h) => h.name.toLowerCase() === "x-callback-token")?.value;
  if (given === undefined || given === "" || expected === "") return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Verifies a Xendit disbursement callback's token and reads its body (a POST with
 * `x-callback-token`; body id, external_id, amount, bank_code, account_holder_name, status,
 * failure_code). A wrong or missing token is UNAUTHENTICATED WEBHOOK_SIGNATURE_INVALID, carrying
 * the ids the body names as claims when it reads as a disbursement; a verified body that is not a
 * disbursement is INVALID_ARGUMENT. The result is what the callback *claims*; its status is read
 * (and an unknown one reported) once, from Xendit's confirmed record, by {@link callbackResponse}.
 */
export function readCallback(request: adapterv1.ParseWebhookRequest, callbackToken: string): Disbursement {
  if (!callbackTokenMatches(request.headers, callbackToken)) {
    throw new PaymeshError(ErrorReason.WEBHOOK_SIGNATURE_INVALID, "x-callback-token is missing or wrong", {
      metadata: callbackClaims(request.body),
    });
  }
  return parseCallback(request.body);
}

/** The body as a disbursement; INVALID_ARGUMENT on `body` when it is not JSON or not one. */
function parseCallback(body: Uint8Array): Disbursement {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw invalidField("body", "callback is not JSON");
  }
  return readDisbursement(value, (why) => {
    throw invalidField("body", why);
  });
}

/**
 * What an unverified callback claims (the kit's webhook claims), for the router to check with
 * Xendit instead of trusting: `external_id` is the payment id itself (see PayoutInstruction), so
 * it is claimed as the payment id unchanged, and `id` is the disbursement id. A body that does not
 * read as a disbursement claims nothing.
 */
function callbackClaims(body: Uint8Array): Record<string, string> {
  let callback: Disbursement;
  try {
    callback = parseCallback(body);
  } catch {
    return {};
  }
  return webhookClaimsMetadata({ paymentId: callback.externalId, providerReference: callback.id });
}

/**
 * Replaces a callback's claims with Xendit's own record of the disbursement. The token is static
 * and the body unsigned, so a leaked token or an altered body could otherwise move money states;
 * asking Xendit (`GET /disbursements/{id}`) makes the event as trustworthy as the API. A
 * disbursement Xendit does not have, or one belonging to another external_id, is a forgery.
 * Xendit unreachable or failing is UNAVAILABLE: the router answers 5xx and Xendit delivers again.
 */
export async function confirmCallback(
  client: XenditDisbursementClient,
  claimed: Disbursement,
  context: { signal: AbortSignal; record: (exchange: HttpExchange) => void },
): Promise<Disbursement> {
  let answer: Awaited<ReturnType<XenditDisbursementClient["getDisbursement"]>>;
  try {
    answer = await client.getDisbursement({ id: claimed.id, signal: context.signal });
  } catch (error) {
    if (!isProviderTransportError(error)) throw error;
    for (const exchange of error.exchanges) context.record(exchange);
    throw transportFailure(error, { provider: "Xendit", what: "callback confirmation", readOnly: true });
  }
  for (const exchange of answer.exchanges) context.record(exchange);
  if (answer.ok && answer.body.externalId === claimed.externalId) return answer.body;
  const reading = { paymentId: claimed.externalId };
  if (answer.ok || xenditErrorOutcome(answer.errorCode, answer.httpStatus, reading).kind === "not-found") {
    throw new PaymeshError(
      ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      "the callback does not match any Xendit payout",
    );
  }
  // Whatever Xendit refused or failed, the callback is neither confirmed nor disproved.
  throw new PaymeshError(
    ErrorReason.PROVIDER_UNAVAILABLE,
    `callback confirmation: Xendit answered ${answer.errorCode}`,
    { code: GrpcCode.UNAVAILABLE, providerCode: answer.errorCode },
  );
}

/**
 * The normalized event for a disbursement's state. Xendit has no event id, so it is a digest of
 * disbursement id, status and failure code: a retried callback dedupes, a later state does not.
 * The reply is a 2xx, which stops Xendit's 24-hour retries. A status or failure code Xendit has
 * not documented is reported and the event carries status UNSPECIFIED with the raw word, which the
 * router records without applying (xendit-status.ts).
 */
export function callbackResponse(disbursement: Disbursement, clock: () => Date): ParseWebhookResponseInit {
  const { status, providerStatus, failure } = readDisbursementState(disbursement, {
    paymentId: disbursement.externalId,
  });
  const updated = disbursement.updated === undefined ? Number.NaN : Date.parse(disbursement.updated);
  const occurredAt = Number.isNaN(updated) ? clock() : new Date(updated);
  const eventKey = `${disbursement.id}|${disbursement.status}|${disbursement.failureCode ?? ""}`;
  return {
    events: [
      {
        eventId: `xendit-${createHash("sha256").update(eventKey).digest("hex").slice(0, 32)}`,
        paymentId: disbursement.externalId,
        providerReference: disbursement.id,
        status,
        providerStatus,
        occurredAt: timestampFromDate(occurredAt),
        amount: { currency: "IDR", minorUnits: disbursement.amount * 100n },
        ...(failure === undefined ? {} : { failure }),
      },
    ],
    reply: {
      httpStatus: 200,
      contentType: "application/json",
      body: new TextEncoder().encode(JSON.stringify({ received: true })),
    },
  };
}
