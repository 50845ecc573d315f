import type { MessageInitShape } from "@bufbuild/protobuf";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { XenditAnswer, XenditDisbursementClient } from "./xendit-client.ts";
import { xenditErrorOutcome, xenditFailure, xenditRefusal } from "./xendit-error-map.ts";
import type { XenditExchange } from "./xendit-http.ts";
import type { Disbursement } from "./xendit-shapes.ts";
import { paymentStatusFromXendit } from "./xendit-status.ts";

/** A ProviderPayment as the adapter answers it. */
export type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/**
 * A Xendit disbursement as a ProviderPayment. A status Xendit may add later is reported as
 * PROCESSING with the raw word in provider_status: a payout is never called final on a guess.
 */
export function fromDisbursement(disbursement: Disbursement): ProviderPaymentInit {
  const mapped = paymentStatusFromXendit(disbursement.status);
  const status = mapped === PaymentStatus.UNSPECIFIED ? PaymentStatus.PROCESSING : mapped;
  return {
    status,
    providerReference: disbursement.id,
    providerStatus: disbursement.status,
    amount: { currency: "IDR", minorUnits: disbursement.amount * 100n },
    ...(status === PaymentStatus.FAILED ? { failure: xenditFailure(disbursement.failureCode) } : {}),
  };
}

/**
 * Finds a payment's disbursement: by Xendit id when the router knows it (checked to belong to the
 * payment), else by external_id = payment id. When several share the external_id (possible on
 * Xendit, never through this adapter's idempotency key) the oldest is the payment's. Undefined
 * when Xendit has none; refusals and Xendit failures throw; transport errors propagate as
 * XenditTransportError for the caller to judge.
 */
export async function findDisbursement(
  client: XenditDisbursementClient,
  lookup: { paymentId: string; providerReference: string; signal: AbortSignal },
  record: (exchange: XenditExchange) => void,
): Promise<Disbursement | undefined> {
  const { paymentId, providerReference, signal } = lookup;
  if (providerReference !== "") {
    const answer = await client.getDisbursement({ id: providerReference, signal });
    for (const exchange of answer.exchanges) record(exchange);
    if (answer.ok) return answer.body.externalId === paymentId ? answer.body : undefined;
    return notFoundOrThrow(answer);
  }
  const answer = await client.findDisbursements({ externalId: paymentId, signal });
  for (const exchange of answer.exchanges) record(exchange);
  if (answer.ok) return answer.body.find((candidate) => candidate.externalId === paymentId);
  return notFoundOrThrow(answer);
}

function notFoundOrThrow(answer: Extract<XenditAnswer<unknown>, { ok: false }>): undefined {
  const outcome = xenditErrorOutcome(answer.errorCode, answer.httpStatus);
  if (outcome.kind === "notFound") return undefined;
  if (outcome.kind === "refused") throw xenditRefusal(outcome, answer.errorCode, answer.message);
  throw new PaymeshError(
    ErrorReason.PROVIDER_UNAVAILABLE,
    `Xendit could not look the payout up: ${answer.message} (${answer.errorCode})`,
    { code: GrpcCode.UNAVAILABLE, providerCode: answer.errorCode },
  );
}
