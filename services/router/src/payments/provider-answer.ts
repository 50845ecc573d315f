import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type adapterv1, PaymentStatus } from "@paymesh/proto";
import { type ExchangeRecord, isTerminal, type PaymentChange, type PaymentRecord } from "@paymesh/store";

/**
 * What a provider said about a payment, whichever way it came: the payment in a CreatePayment,
 * GetPaymentStatus or CancelPayment answer, or a verified webhook event.
 */
export type ProviderAnswer = Pick<adapterv1.ProviderPayment, "status" | "providerReference" | "failure"> &
  Partial<Pick<adapterv1.ProviderPayment, "customerAction" | "expiresAt" | "providerStatus">>;

/**
 * Why an answer cannot be applied when it carries a provider status the adapter does not know: the
 * adapter answers such a value as UNSPECIFIED with the raw value in `provider_status` (and logs it).
 * Undefined for any other answer.
 */
export function unknownProviderStatus(answer: ProviderAnswer): string | undefined {
  if (answer.status !== PaymentStatus.UNSPECIFIED || !answer.providerStatus) return undefined;
  return `unknown provider status ${JSON.stringify(answer.providerStatus)}`;
}

/**
 * The store transition a provider's answer asks for; the one mapping every path uses. The answer is
 * news, so an unknown outcome is settled, and it proves the provider has the payment, so its held
 * events are released (PaymentRecord.eventsHeld); a final status ends any resolver schedule, while a payment
 * still moving is looked at again at `nextCheck` (or keeps its schedule when none is given). An answer
 * without a status changes no status; fields the answer leaves empty keep what the payment has, and
 * a provider reference, once known, is kept (webhooks find the payment by it). A provider status the
 * adapter does not know is never applied: the payment is kept for the status resolver, due at `now`
 * unless a check is given, with the raw value as its last answer, so `payments stuck` shows it.
 *
 * applyChange still refuses a status that would move the payment backwards, with its failure.
 */
export function providerAnswerChange(
  payment: Pick<PaymentRecord, "providerReference" | "resolution">,
  answer: ProviderAnswer,
  nextCheck?: NonNullable<PaymentRecord["resolution"]>,
  now: Date = new Date(),
): PaymentChange {
  const change: PaymentChange = { outcomeUnknown: false, eventsHeld: false };
  if (answer.status !== PaymentStatus.UNSPECIFIED) {
    change.status = answer.status;
    if (answer.failure !== undefined) change.failure = answer.failure;
  }
  if (payment.providerReference === "" && answer.providerReference !== "")
    change.providerReference = answer.providerReference;
  if (answer.customerAction !== undefined) change.customerAction = answer.customerAction;
  if (answer.expiresAt !== undefined) change.expiresAt = timestampDate(answer.expiresAt);
  const unknown = unknownProviderStatus(answer);
  if (isTerminal(answer.status)) change.resolution = undefined;
  else if (unknown !== undefined) {
    const due = nextCheck ?? { nextCheckAt: now, attempts: payment.resolution?.attempts ?? 0 };
    change.resolution = { ...due, lastAnswer: unknown };
  } else if (nextCheck !== undefined) change.resolution = nextCheck;
  return change;
}

/** The store's audit record of one provider exchange. */
export function toExchangeRecord(exchange: adapterv1.ProviderExchange): ExchangeRecord {
  return {
    operation: exchange.operation,
    httpMethod: exchange.httpMethod,
    url: exchange.url,
    requestBody: exchange.requestBody,
    responseStatus: exchange.responseStatus,
    responseBody: exchange.responseBody,
    startedAt: exchange.startedAt === undefined ? new Date(0) : timestampDate(exchange.startedAt),
    durationMicros: exchange.durationMicros,
    transportError: exchange.transportError,
  };
}
