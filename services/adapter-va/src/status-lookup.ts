import type { MessageInitShape } from "@bufbuild/protobuf";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { isMidtransTransportError, type MidtransClient } from "./midtrans-client.ts";
import { midtransOutcome, midtransRefusal } from "./midtrans-error-map.ts";
import { toExchange } from "./midtrans-payment.ts";
import type { MidtransTransaction } from "./midtrans-wire.ts";
import { transportFailure } from "./transport-failure.ts";

type ExchangeInit = MessageInitShape<typeof adapterv1.ProviderExchangeSchema>;

/** Asks the status API about an order; records the exchange; undefined when Midtrans does not know it. */
export type StatusLookup = (
  orderId: string,
  exchanges: ExchangeInit[],
  signal: AbortSignal,
) => Promise<MidtransTransaction | undefined>;

/**
 * The one way the adapter learns what Midtrans holds: for GetPaymentStatus, for resolving a
 * duplicate or uncertain charge, after a refused cancel, and to confirm every notification.
 */
export function createStatusLookup(client: MidtransClient): StatusLookup {
  return async (orderId, exchanges, signal) => {
    let answer: Awaited<ReturnType<MidtransClient["status"]>>;
    try {
      answer = await client.status(orderId, signal);
    } catch (error) {
      if (!isMidtransTransportError(error)) throw error;
      exchanges.push(...error.exchanges.map(toExchange));
      throw transportFailure(error, "status", true);
    }
    exchanges.push(...answer.exchanges.map(toExchange));
    if (answer.ok) return answer.body;
    const outcome = midtransOutcome(answer.statusCode);
    if (outcome.kind === "not-found") return undefined;
    if (outcome.kind === "refused") throw midtransRefusal(outcome, answer);
    throw new PaymeshError(
      outcome.kind === "uncertain" ? outcome.reason : ErrorReason.PROVIDER_ERROR,
      `Midtrans status query failed: ${answer.statusMessage} (${answer.statusCode})`,
      { code: GrpcCode.UNAVAILABLE, providerCode: answer.statusCode },
    );
  };
}
