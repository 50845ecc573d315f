import {
  GrpcCode,
  nothingCreated,
  outcomeError,
  type PaymentProvider,
  type ProviderExchangeInit,
  recordedCall,
  settleByLookup,
  transportFailure,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import type { MidtransAnswer, MidtransClient } from "./midtrans-client.ts";
import { failureReason, midtransCall, midtransOutcome } from "./midtrans-error-map.ts";
import { listMidtransSettlements } from "./midtrans-settlements.ts";
import { paymentFromTransaction } from "./midtrans-status.ts";
import { createWebhookParser } from "./midtrans-webhook.ts";
import { buildChargeRequest } from "./midtrans-wire.ts";

/** Options for createMidtransVaProvider. */
export interface MidtransVaProviderOptions {
  client: MidtransClient;
  /** Verifies notification signature_keys (the same Server Key the client authenticates with). */
  serverKey: string;
  /** Reported by Describe. */
  version: string;
  /** @default () => new Date() */
  clock?: () => Date;
}

/**
 * Rp10.000 to Rp50.000.000 per VA payment (IDR exponent 2). *Unconfirmed*: Midtrans publishes no
 * single VA range; these are bounds commonly applied to Indonesian VA transfers.
 */
const LIMIT = { currency: "IDR", minMinorUnits: 10_000_00n, maxMinorUnits: 50_000_000_00n };

/** Cancel refusals that mean the VA is no longer pending; the status API says whether it is canceled. */
const NO_LONGER_PENDING: ReadonlySet<ErrorReason> = new Set([
  ErrorReason.PAYMENT_NOT_CANCELABLE,
  ErrorReason.PAYMENT_EXPIRED,
]);
const NOT_CANCELABLE = {
  kind: "refused",
  reason: ErrorReason.PAYMENT_NOT_CANCELABLE,
  code: GrpcCode.FAILED_PRECONDITION,
} as const;

/**
 * Virtual accounts (BCA, BNI, BRI, Permata) over the Midtrans Core API `bank_transfer` charge.
 * The order_id is the payment id itself, so Midtrans's duplicate-order_id refusal (406) is the
 * provider-side idempotency key, resolved by fetching the existing transaction.
 */
export function createMidtransVaProvider(options: MidtransVaProviderOptions): PaymentProvider {
  const { client } = options;
  const clock = options.clock ?? (() => new Date());

  /**
   * The one way the adapter learns what Midtrans holds: for GetPaymentStatus, for resolving a
   * duplicate or uncertain charge, after a refused cancel, and to confirm every notification.
   * Undefined when Midtrans does not know the order.
   */
  async function lookup(orderId: string, trail: ProviderExchangeInit[], signal: AbortSignal) {
    const answer = await recorded(trail, "status", () => client.status(orderId, signal), true);
    if (answer.ok) return answer.body;
    const outcome = midtransOutcome(answer, orderId);
    if (outcome.kind === "not-found") return undefined;
    const call = midtransCall("status", answer);
    if (outcome.kind === "refused") throw outcomeError(outcome, call);
    throw outcomeError({ kind: "uncertain", reason: failureReason(outcome) }, { ...call, readOnly: true });
  }

  return {
    describe: () => ({
      provider: "midtrans",
      displayName: "Virtual account (BCA, BNI, BRI, Permata) via Midtrans Core API",
      methods: [PaymentMethodType.VIRTUAL_ACCOUNT],
      currencies: ["IDR"],
      limits: [LIMIT],
      features: [
        adapterv1.Feature.CANCEL,
        adapterv1.Feature.WEBHOOKS,
        adapterv1.Feature.CUSTOMER_ACTION,
        adapterv1.Feature.SETTLEMENTS,
      ],
      version: options.version,
    }),

    async createPayment(request, context) {
      const charge = buildChargeRequest(request, clock());
      const exchanges: ProviderExchangeInit[] = [];
      const answer = await recorded(exchanges, "charge", () => client.charge(charge, context.signal));
      if (answer.ok) return { payment: paymentFromTransaction(answer.body), exchanges };
      const outcome = midtransOutcome(answer, request.paymentId);
      if (outcome.kind === "refused") throw outcomeError(outcome, midtransCall("charge", answer));
      if (outcome.kind === "declined") {
        const failure = {
          reason: outcome.reason,
          message: answer.statusMessage,
          providerCode: answer.statusCode,
        };
        const payment = {
          status: PaymentStatus.FAILED,
          failure,
          providerStatus: "deny",
          amount: request.amount,
        };
        return { payment, exchanges };
      }
      // Duplicate order_id: created by an earlier attempt. Uncertain (5xx): maybe created.
      // Either way Midtrans's own record decides; without one, nothing was created. A lookup that
      // fails leaves the outcome unknown: the charge did reach Midtrans.
      const existing = await settleByLookup({ provider: "Midtrans", what: "charge" }, () =>
        lookup(request.paymentId, exchanges, context.signal),
      );
      if (existing !== undefined) return { payment: paymentFromTransaction(existing), exchanges };
      throw nothingCreated(outcome, midtransCall("charge", answer));
    },

    async getPaymentStatus(request, context) {
      const exchanges: ProviderExchangeInit[] = [];
      const transaction = await lookup(request.paymentId, exchanges, context.signal);
      if (transaction === undefined) throw notFound("status");
      return { payment: paymentFromTransaction(transaction), exchanges };
    },

    /**
     * Idempotent for the caller: when Midtrans refuses because the VA is no longer pending (412,
     * or 407 expired), the status API decides: already CANCELED is returned as success (a retried
     * cancel), anything else is PAYMENT_NOT_CANCELABLE.
     */
    async cancelPayment(request, context) {
      const { paymentId } = request;
      const exchanges: ProviderExchangeInit[] = [];
      const answer = await recorded(exchanges, "cancel", () => client.cancel(paymentId, context.signal));
      if (answer.ok) return { payment: paymentFromTransaction(answer.body), exchanges };
      const outcome = midtransOutcome(answer, paymentId);
      const call = midtransCall("cancel", answer);
      if (outcome.kind === "not-found") throw notFound("cancel");
      const noLongerPending = outcome.kind === "refused" && NO_LONGER_PENDING.has(outcome.reason);
      if (outcome.kind === "refused" && !noLongerPending) throw outcomeError(outcome, call);
      const current = await lookup(paymentId, exchanges, context.signal);
      if (current?.transaction_status === "cancel") {
        return { payment: paymentFromTransaction(current), exchanges };
      }
      const state = `the transaction is ${current?.transaction_status ?? "unknown"}`;
      const found = { ...call, providerMessage: `${call.providerMessage}; ${state}` };
      if (noLongerPending) throw outcomeError(NOT_CANCELABLE, found);
      throw outcomeError(
        { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR },
        { ...found, readOnly: true },
      );
    },

    parseWebhook: createWebhookParser({
      confirm: (orderId, signal) => lookup(orderId, [], signal),
      serverKey: options.serverKey,
      clock,
    }),

    listSettlements: (request, context) => listMidtransSettlements(client, request.date, context.signal),
  };
}

/**
 * Runs one client call, keeping every round trip it made in `trail` (a failed call's too), and
 * turns "no usable answer" into the kit's transport failure: `readOnly` calls have nothing to
 * resolve afterwards.
 */
function recorded<T>(
  trail: ProviderExchangeInit[],
  what: string,
  call: () => Promise<MidtransAnswer<T>>,
  readOnly = false,
): Promise<MidtransAnswer<T>> {
  return recordedCall(trail, call, (error) =>
    transportFailure(error, { provider: "Midtrans", what, readOnly }),
  );
}

/** PAYMENT_NOT_FOUND: Midtrans has no transaction under this order_id. */
function notFound(what: string) {
  return outcomeError({ kind: "not-found" }, { provider: "Midtrans", what });
}
