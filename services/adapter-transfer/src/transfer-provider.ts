import { GrpcCode, type PaymentProvider, PaymeshError } from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType } from "@paymesh/proto";
import { findDisbursement, fromDisbursement, type ProviderPaymentInit } from "./disbursement-lookup.ts";
import { createExchangeLog } from "./exchange-record.ts";
import { payoutInstruction } from "./payout-instruction.ts";
import { callbackResponse, confirmCallback, readCallback } from "./xendit-callback.ts";
import type { XenditDisbursementClient } from "./xendit-client.ts";
import { xenditErrorOutcome, xenditRefusal } from "./xendit-error-map.ts";
import { isXenditTransportError, type XenditExchange } from "./xendit-http.ts";
import { listXenditSettlements } from "./xendit-settlements.ts";

/** Options for createTransferProvider. */
export interface TransferProviderOptions {
  client: XenditDisbursementClient;
  /** The account's callback verification token, compared with `x-callback-token`. */
  callbackToken: string;
  /** Reported by Describe. */
  version: string;
  /** @default () => new Date() */
  clock?: () => Date;
  /**
   * Confirm each callback with `GET /disbursements/{id}` and report Xendit's record rather than
   * the body's claims (the callback token is static and the body unsigned). @default true
   */
  confirmCallbacks?: boolean;
  /** Receives every exchange (bodies masked) as it happens: the adapter's log hook. */
  onExchange?: (exchange: XenditExchange) => void;
}

/**
 * Single-disbursement limits in IDR minor units: Rp10.000 to Rp100.000.000, what Xendit allows
 * to most banks (*unconfirmed*: per-bank limits vary; a tighter one answers
 * MAXIMUM_TRANSFER_LIMIT_ERROR, mapped to LIMIT_EXCEEDED).
 */
const LIMIT = { currency: "IDR", minMinorUnits: 10_000_00n, maxMinorUnits: 100_000_000_00n };

/**
 * Bank transfer payouts through Xendit Disbursements. The payment id is both the
 * X-IDEMPOTENCY-KEY and the external_id, so a repeated CreatePayment can never pay twice and
 * Xendit's "key used before" answer is resolved by fetching the payout by external_id.
 */
export function createTransferProvider(options: TransferProviderOptions): PaymentProvider {
  const { client } = options;
  const clock = options.clock ?? (() => new Date());

  return {
    describe: () => ({
      provider: "xendit",
      displayName: "Bank transfer payouts via Xendit Disbursements",
      methods: [PaymentMethodType.BANK_TRANSFER],
      currencies: ["IDR"],
      limits: [LIMIT],
      // No CANCEL: a Xendit disbursement cannot be withdrawn once created.
      features: [adapterv1.Feature.WEBHOOKS, adapterv1.Feature.SETTLEMENTS],
      version: options.version,
    }),

    async createPayment(request, context) {
      const payout = payoutInstruction(request);
      const log = createExchangeLog(options.onExchange);
      const { signal } = context;
      const existing = async (): Promise<ProviderPaymentInit | undefined> => {
        const lookup = { paymentId: payout.externalId, providerReference: "", signal };
        // After a creation that may have happened, a failed lookup proves nothing either way: any
        // failure here leaves the outcome open rather than surfacing as a refusal of the payout.
        const found = await findDisbursement(client, lookup, log.add).catch((error: unknown) => {
          if (isXenditTransportError(error)) for (const exchange of error.exchanges) log.add(exchange);
          return undefined;
        });
        return found === undefined ? undefined : fromDisbursement(found);
      };

      // The client has already retried 429/5xx with this key (backoff, Retry-After); what comes
      // back is final. A lost answer was not repeated: the lookup below decides, or the resolver.
      let answer: Awaited<ReturnType<XenditDisbursementClient["createDisbursement"]>>;
      try {
        answer = await client.createDisbursement({ ...payout, signal });
      } catch (error) {
        if (!isXenditTransportError(error)) throw error;
        for (const exchange of error.exchanges) log.add(exchange);
        if (!error.sent) {
          throw new PaymeshError(
            ErrorReason.PROVIDER_UNAVAILABLE,
            `Xendit could not be reached: ${error.message}`,
            {
              code: GrpcCode.UNAVAILABLE,
              neverReachedProvider: true,
              cause: error,
            },
          );
        }
        const found = await existing();
        if (found !== undefined) return { payment: found, exchanges: log.records };
        throw new PaymeshError(ErrorReason.OUTCOME_UNKNOWN, `Xendit's answer was lost: ${error.message}`, {
          code: GrpcCode.DEADLINE_EXCEEDED,
          cause: error,
        });
      }
      for (const exchange of answer.exchanges) log.add(exchange);
      if (answer.ok) return { payment: fromDisbursement(answer.body), exchanges: log.records };
      const outcome = xenditErrorOutcome(answer.errorCode, answer.httpStatus);
      if (outcome.kind === "refused") throw xenditRefusal(outcome, answer.errorCode, answer.message);
      // The key was spent (duplicate), or Xendit failed and may have created it: its record decides.
      const found = await existing();
      if (found !== undefined) return { payment: found, exchanges: log.records };
      // Nothing found yet is not proof of nothing created, so the outcome stays open for the
      // status resolver: never a guessed failure, never a second payout under another key.
      throw new PaymeshError(
        outcome.kind === "retryable" ? outcome.reason : ErrorReason.OUTCOME_UNKNOWN,
        `Xendit answered ${answer.errorCode} (${answer.message}) and has no payout for ${payout.externalId} yet`,
        { code: GrpcCode.UNAVAILABLE, providerCode: answer.errorCode },
      );
    },

    async getPaymentStatus(request, context) {
      const log = createExchangeLog(options.onExchange);
      const lookup = {
        paymentId: request.paymentId,
        providerReference: request.providerReference,
        signal: context.signal,
      };
      const found = await findDisbursement(client, lookup, log.add).catch((error: unknown) => {
        if (!isXenditTransportError(error)) throw error;
        for (const exchange of error.exchanges) log.add(exchange);
        throw new PaymeshError(
          ErrorReason.PROVIDER_UNAVAILABLE,
          `Xendit could not be reached: ${error.message}`,
          {
            code: GrpcCode.UNAVAILABLE,
            cause: error,
          },
        );
      });
      if (found === undefined) {
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_FOUND,
          `Xendit has no payout for payment ${request.paymentId}`,
        );
      }
      return { payment: fromDisbursement(found), exchanges: log.records };
    },

    async cancelPayment() {
      throw new PaymeshError(
        ErrorReason.PAYMENT_NOT_CANCELABLE,
        "a Xendit disbursement cannot be cancelled once created",
        { code: GrpcCode.FAILED_PRECONDITION },
      );
    },

    async parseWebhook(request, context) {
      const claimed = readCallback(request, options.callbackToken);
      if (options.confirmCallbacks === false) return callbackResponse(claimed, clock);
      const log = createExchangeLog(options.onExchange);
      const confirmed = await confirmCallback(client, claimed, { signal: context.signal, record: log.add });
      return callbackResponse(confirmed, clock);
    },

    listSettlements(request, context) {
      return listXenditSettlements(client, {
        date: request.date,
        signal: context.signal,
        ...(options.onExchange === undefined ? {} : { onExchange: options.onExchange }),
      });
    },
  };
}
