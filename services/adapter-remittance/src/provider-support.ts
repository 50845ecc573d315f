import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  GrpcCode,
  PaymeshError,
  type ProviderExchangeInit,
  parseDecimalAmount,
  toExchangeInit,
} from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import type { WiseAnswer } from "./wise-client.ts";
import { wiseOutcome, wiseRefusal, wiseUnavailable } from "./wise-error-map.ts";
import { isWiseTransportError, type WiseExchange, type WiseOperation } from "./wise-http.ts";
import { mapWiseState } from "./wise-status.ts";
import type { WiseTransfer } from "./wise-types.ts";

/** A ProviderExchange as the provider returns it. */
export type ExchangeInit = ProviderExchangeInit;
/** A ProviderPayment as the provider returns it. */
export type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;
/** A refused or failed Wise answer. */
export type WiseFailureAnswer = Extract<WiseAnswer<unknown>, { ok: false }>;

/** The audit record of one HTTP exchange, as the router stores it (bodies already masked by the client). */
export const toExchange: (exchange: WiseExchange) => ExchangeInit = toExchangeInit;

/**
 * Runs one client call and records its exchanges (retried attempts included). A transport error
 * becomes UNAVAILABLE, or OUTCOME_UNKNOWN when `creating` and the request may have reached Wise.
 */
export async function recorded<T>(
  exchanges: ExchangeInit[],
  creating: boolean,
  call: () => Promise<WiseAnswer<T>>,
): Promise<WiseAnswer<T>> {
  try {
    const answer = await call();
    exchanges.push(...answer.exchanges.map(toExchange));
    return answer;
  } catch (error) {
    if (!isWiseTransportError(error)) throw error;
    exchanges.push(...error.exchanges.map(toExchange));
    throw wiseUnavailable(error.exchange.operation, { sent: error.sent, creating, cause: error });
  }
}

/** The error for a failed answer the caller has no special handling for, per the mapping table. */
export function wiseFailure(
  answer: WiseFailureAnswer,
  operation: WiseOperation,
  creating: boolean,
): PaymeshError {
  const code = answer.errors[0]?.code ?? "";
  const outcome = wiseOutcome(answer.status, code);
  if (outcome.kind === "refused") return wiseRefusal(outcome, operation, answer.errors, answer.status);
  if (outcome.kind === "uncertain") {
    return wiseUnavailable(operation, {
      sent: true,
      creating,
      reason: outcome.reason,
      providerCode: code || String(answer.status),
    });
  }
  const message = answer.errors.map((e) => e.message || e.code).join("; ");
  return new PaymeshError(
    ErrorReason.PROVIDER_ERROR,
    `Wise answered ${operation} with HTTP ${answer.status}: ${message}`,
    {
      code: GrpcCode.FAILED_PRECONDITION,
      providerCode: code || String(answer.status),
    },
  );
}

/**
 * Minor units from a Wise amount. An amount Wise wrote with more decimals than the currency has is
 * a malformed answer (PROVIDER_ERROR), not the caller's invalid input.
 */
export function minorUnits(value: string, currency: string): bigint {
  try {
    return parseDecimalAmount(value, currency);
  } catch (error) {
    throw new PaymeshError(
      ErrorReason.PROVIDER_ERROR,
      `Wise answered an unusable ${currency} amount "${value}"`,
      {
        code: GrpcCode.INTERNAL,
        cause: error,
      },
    );
  }
}

/** The Paymesh view of a Wise transfer: status from its state, amount in the source currency. */
export function paymentFromTransfer(transfer: WiseTransfer): ProviderPaymentInit {
  const mapped = mapWiseState(transfer.status);
  return {
    status: mapped.status,
    providerReference: transfer.id,
    providerStatus: transfer.status,
    amount: {
      currency: transfer.sourceCurrency,
      minorUnits: minorUnits(transfer.sourceValue, transfer.sourceCurrency),
    },
    ...(mapped.failure === undefined ? {} : { failure: mapped.failure }),
  };
}
