import type { MessageInitShape } from "@bufbuild/protobuf";
import { GrpcCode, type PaymentProvider, PaymeshError } from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import { createCancelHandler } from "./cancel-handler.ts";
import { isMidtransTransportError, type MidtransClient } from "./midtrans-client.ts";
import { midtransOutcome, midtransRefusal } from "./midtrans-error-map.ts";
import { paymentFromTransaction, toExchange } from "./midtrans-payment.ts";
import { createSettlementsHandler } from "./settlements-handler.ts";
import { createStatusLookup } from "./status-lookup.ts";
import { transportFailure } from "./transport-failure.ts";
import { buildChargeRequest } from "./va-charge-request.ts";
import { createWebhookHandler } from "./webhook-handler.ts";

type ExchangeInit = MessageInitShape<typeof adapterv1.ProviderExchangeSchema>;

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

/**
 * Virtual accounts (BCA, BNI, BRI, Permata) over the Midtrans Core API `bank_transfer` charge.
 * The order_id is the payment id itself, so Midtrans's duplicate-order_id refusal (406) is the
 * provider-side idempotency key, resolved by fetching the existing transaction.
 */
export function createMidtransVaProvider(options: MidtransVaProviderOptions): PaymentProvider {
  const { client } = options;
  const clock = options.clock ?? (() => new Date());
  const lookup = createStatusLookup(client);

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
      const exchanges: ExchangeInit[] = [];
      let answer: Awaited<ReturnType<MidtransClient["charge"]>>;
      try {
        answer = await client.charge(charge, context.signal);
      } catch (error) {
        if (!isMidtransTransportError(error)) throw error;
        exchanges.push(...error.exchanges.map(toExchange));
        throw transportFailure(error, "charge");
      }
      exchanges.push(...answer.exchanges.map(toExchange));
      if (answer.ok) return { payment: paymentFromTransaction(answer.body), exchanges };
      const outcome = midtransOutcome(answer.statusCode);
      if (outcome.kind === "refused") throw midtransRefusal(outcome, answer);
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
      // Either way Midtrans's own record decides.
      const existing = await lookup(request.paymentId, exchanges, context.signal);
      if (existing !== undefined) return { payment: paymentFromTransaction(existing), exchanges };
      throw new PaymeshError(
        outcome.kind === "uncertain" ? outcome.reason : ErrorReason.PROVIDER_ERROR,
        `Midtrans charge failed: ${answer.statusMessage} (${answer.statusCode}); nothing was created`,
        {
          code: GrpcCode.UNAVAILABLE,
          providerCode: answer.statusCode,
          neverReachedProvider: true,
        },
      );
    },

    async getPaymentStatus(request, context) {
      const exchanges: ExchangeInit[] = [];
      const transaction = await lookup(request.paymentId, exchanges, context.signal);
      if (transaction === undefined) {
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_FOUND,
          `Midtrans has no transaction for payment ${request.paymentId}`,
        );
      }
      return { payment: paymentFromTransaction(transaction), exchanges };
    },

    cancelPayment: createCancelHandler(client, lookup),
    parseWebhook: createWebhookHandler({ lookup, serverKey: options.serverKey, clock }),
    listSettlements: createSettlementsHandler(client),
  };
}
