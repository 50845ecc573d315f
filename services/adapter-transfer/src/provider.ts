import {
  GrpcCode,
  type HttpExchange,
  isProviderTransportError,
  outcomeError,
  type PaymentProvider,
  PaymeshError,
  type ProviderExchangeInit,
  toExchangeInit,
  transportFailure,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType } from "@paymesh/proto";
import type { XenditAnswer, XenditDisbursementClient } from "./xendit-client.ts";
import { xenditErrorOutcome } from "./xendit-error-map.ts";
import { listXenditSettlements } from "./xendit-settlements.ts";
import { fromDisbursement, type ProviderPaymentInit } from "./xendit-status.ts";
import { callbackResponse, confirmCallback, readCallback } from "./xendit-webhook.ts";
import { type Disbursement, payoutInstruction } from "./xendit-wire.ts";

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
  onExchange?: (exchange: HttpExchange) => void;
}

/**
 * Single-disbursement limits in IDR minor units: Rp10.000 to Rp100.000.000, what Xendit allows
 * to most banks (*unconfirmed*: per-bank limits vary; a tighter one answers
 * MAXIMUM_TRANSFER_LIMIT_ERROR, mapped to LIMIT_EXCEEDED).
 */
const LIMIT = { currency: "IDR", minMinorUnits: 10_000_00n, maxMinorUnits: 100_000_000_00n };

const CREATE = { provider: "Xendit", what: "create payout" };
const LOOKUP = { provider: "Xendit", what: "status lookup", readOnly: true };

type ExchangeLog = { records: ProviderExchangeInit[]; add(exchange: HttpExchange): void };

/** Collects a call's exchanges for its answer and hands each to the log hook as it happens. */
function exchangeLog(onExchange: ((exchange: HttpExchange) => void) | undefined): ExchangeLog {
  const records: ProviderExchangeInit[] = [];
  return {
    records,
    add(exchange) {
      records.push(toExchangeInit(exchange));
      onExchange?.(exchange);
    },
  };
}

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
      const log = exchangeLog(options.onExchange);
      const { signal } = context;
      const existing = async (): Promise<ProviderPaymentInit | undefined> => {
        const lookup = { paymentId: payout.externalId, providerReference: "", signal };
        // After a creation that may have happened, a failed lookup proves nothing either way: any
        // failure here leaves the outcome open rather than surfacing as a refusal of the payout.
        const found = await findDisbursement(client, lookup, log.add).catch((error: unknown) => {
          if (isProviderTransportError(error)) for (const exchange of error.exchanges) log.add(exchange);
          return undefined;
        });
        return found === undefined ? undefined : fromDisbursement(found, { paymentId: payout.externalId });
      };

      // The client has already retried 429/5xx with this key (backoff, Retry-After); what comes
      // back is final. A lost answer was not repeated: the lookup below decides, or the resolver.
      let answer: XenditAnswer<Disbursement>;
      try {
        answer = await client.createDisbursement({ ...payout, signal });
      } catch (error) {
        if (!isProviderTransportError(error)) throw error;
        for (const exchange of error.exchanges) log.add(exchange);
        // Never sent: nothing to look up, and safe to send again (marked never reached).
        const found = error.sent ? await existing() : undefined;
        if (found !== undefined) return { payment: found, exchanges: log.records };
        throw transportFailure(error, CREATE);
      }
      for (const exchange of answer.exchanges) log.add(exchange);
      const reading = { paymentId: payout.externalId };
      if (answer.ok) return { payment: fromDisbursement(answer.body, reading), exchanges: log.records };
      const outcome = xenditErrorOutcome(answer.errorCode, answer.httpStatus, reading);
      const said = { ...CREATE, providerCode: answer.errorCode, providerMessage: answer.message };
      if (outcome.kind === "refused") throw outcomeError(outcome, said);
      // The key was spent (duplicate), or Xendit failed and may have created it: its record decides.
      const found = await existing();
      if (found !== undefined) return { payment: found, exchanges: log.records };
      // Nothing found yet is not proof of nothing created, so the outcome stays open for the
      // status resolver: never a guessed failure, never a second payout under another key. Xendit
      // did answer, so it is UNAVAILABLE (ask again, never marked as not reached), not the kit's
      // lost-answer DEADLINE_EXCEEDED: the kit's read-only form says exactly that.
      const reason = outcome.kind === "uncertain" ? outcome.reason : ErrorReason.OUTCOME_UNKNOWN;
      const notYet = `${answer.message}; no payout for ${payout.externalId} yet`;
      throw outcomeError({ kind: "uncertain", reason }, { ...said, providerMessage: notYet, readOnly: true });
    },

    async getPaymentStatus(request, context) {
      const log = exchangeLog(options.onExchange);
      const lookup = {
        paymentId: request.paymentId,
        providerReference: request.providerReference,
        signal: context.signal,
      };
      const found = await findDisbursement(client, lookup, log.add).catch((error: unknown) => {
        if (!isProviderTransportError(error)) throw error;
        for (const exchange of error.exchanges) log.add(exchange);
        throw transportFailure(error, LOOKUP);
      });
      if (found === undefined) throw outcomeError({ kind: "not-found" }, LOOKUP);
      return {
        payment: fromDisbursement(found, { paymentId: request.paymentId }),
        exchanges: log.records,
      };
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
      const log = exchangeLog(options.onExchange);
      const confirmed = await confirmCallback(client, claimed, { signal: context.signal, record: log.add });
      return callbackResponse(confirmed, clock);
    },

    listSettlements(request, context) {
      const input = { date: request.date, signal: context.signal };
      return listXenditSettlements(client, input, options.onExchange);
    },
  };
}

/**
 * Finds a payment's disbursement: by Xendit id when the router knows it (checked to belong to the
 * payment), else by external_id = payment id. Undefined when Xendit has none; refusals and Xendit
 * failures throw; transport errors propagate as the kit's ProviderTransportError for the caller to
 * judge.
 *
 * Several disbursements can share an external_id on Xendit (one made by hand in the dashboard, or
 * by another integration with the same id). Through this adapter only one can exist per payment:
 * the payment id is also the idempotency key, and Xendit spends a key once. Xendit does not echo
 * the key in a disbursement, so the payment's own payout is told apart by creation time: the oldest
 * is the one this payment created, since its key was spent by the first create and any other payout
 * came later. The list's order is never relied on (see {@link paymentsPayout}).
 */
export async function findDisbursement(
  client: XenditDisbursementClient,
  lookup: { paymentId: string; providerReference: string; signal: AbortSignal },
  record: (exchange: HttpExchange) => void,
): Promise<Disbursement | undefined> {
  const { paymentId, providerReference, signal } = lookup;
  const context = { paymentId };
  if (providerReference !== "") {
    const answer = await client.getDisbursement({ id: providerReference, signal });
    for (const exchange of answer.exchanges) record(exchange);
    if (answer.ok) return answer.body.externalId === paymentId ? answer.body : undefined;
    return notFoundOrThrow(answer, context);
  }
  const answer = await client.findDisbursements({ externalId: paymentId, signal });
  for (const exchange of answer.exchanges) record(exchange);
  if (answer.ok) return paymentsPayout(answer.body.filter((candidate) => candidate.externalId === paymentId));
  return notFoundOrThrow(answer, context);
}

/**
 * The payment's payout among disbursements sharing its external_id: the one created first, by
 * `created`. When two candidates cannot be ordered (a `created` missing or unreadable, or equal),
 * guessing could report another payout's state as this payment's, so the lookup fails UNAVAILABLE
 * (the status resolver asks again and, if it persists, an operator sees why).
 */
export function paymentsPayout(candidates: readonly Disbursement[]): Disbursement | undefined {
  if (candidates.length <= 1) return candidates[0];
  const dated = candidates.map((candidate) => ({
    candidate,
    at: candidate.created === undefined ? Number.NaN : Date.parse(candidate.created),
  }));
  const times = dated.map((entry) => entry.at);
  if (times.some(Number.isNaN) || new Set(times).size !== times.length) {
    throw outcomeError(
      { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR },
      {
        ...LOOKUP,
        providerMessage: `${candidates.length} disbursements share this external_id and their creation times do not order them`,
      },
    );
  }
  dated.sort((a, b) => a.at - b.at);
  return dated[0]?.candidate;
}

/** A lookup's error answer: not found is undefined, a refusal throws, anything else is UNAVAILABLE. */
function notFoundOrThrow(
  answer: Extract<XenditAnswer<unknown>, { ok: false }>,
  context: { paymentId: string },
): undefined {
  const outcome = xenditErrorOutcome(answer.errorCode, answer.httpStatus, context);
  if (outcome.kind === "not-found") return undefined;
  const said = { ...LOOKUP, providerCode: answer.errorCode, providerMessage: answer.message };
  if (outcome.kind === "refused") throw outcomeError(outcome, said);
  // A read that failed changed nothing: plain UNAVAILABLE, never the kit's open-outcome answer.
  throw outcomeError({ kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }, said);
}
