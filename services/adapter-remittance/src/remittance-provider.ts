import { createPublicKey, type KeyObject } from "node:crypto";
import { type PaymentProvider, PaymeshError } from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType } from "@paymesh/proto";
import { type ExchangeInit, paymentFromTransfer, recorded, wiseFailure } from "./provider-support.ts";
import { findTransfer } from "./remittance-lookup.ts";
import { createRemittancePayment } from "./remittance-payment.ts";
import { createRemittanceQuote, type SourceRules } from "./remittance-quote.ts";
import { listRemittanceSettlements } from "./remittance-settlements.ts";
import type { WiseClient } from "./wise-client.ts";
import { DEFAULT_WEBHOOK_TOLERANCE_MS, parseWiseWebhook } from "./wise-webhook.ts";

/** Options for createRemittanceProvider. */
export interface RemittanceProviderOptions {
  client: WiseClient;
  /** Wise's webhook public key (PEM or KeyObject): webhooks are RSA-signed with its private half. */
  webhookPublicKey: string | KeyObject;
  /** Reported by Describe. */
  version: string;
  /** @default () => new Date() */
  clock?: () => Date;
  /** Pages of 100 transfers searched when a status query has no provider reference. @default 5 */
  lookupPages?: number;
  /**
   * How far a webhook's signed `sent_at` may be from `clock`, past or future, before it is refused
   * as a replay (WEBHOOK_SIGNATURE_INVALID).
   * @default 300000
   */
  webhookToleranceMs?: number;
}

/**
 * Source currencies and per-transfer limits. Wise publishes limits per route and account type;
 * these are documented-looking round numbers, *unconfirmed*, to be replaced by the real account's.
 */
const SOURCES: SourceRules = {
  currencies: ["IDR", "SGD", "USD"],
  limits: [
    { currency: "IDR", minMinorUnits: 10_000_00n, maxMinorUnits: 1_000_000_000_00n },
    { currency: "SGD", minMinorUnits: 1_00n, maxMinorUnits: 1_000_000_00n },
    { currency: "USD", minMinorUnits: 1_00n, maxMinorUnits: 1_000_000_00n },
  ],
};

/**
 * Cross-border payouts over Wise's API (PROVIDERS.md, "Wise"): quotes with a locked rate,
 * recipients, transfers funded from the Wise balance, cancellation before funding, RSA-signed
 * `transfers#state-change` webhooks and balance statements as settlements. The
 * customerTransactionId derived from the payment id is the provider-side idempotency key.
 */
export function createRemittanceProvider(options: RemittanceProviderOptions): PaymentProvider {
  const { client } = options;
  const clock = options.clock ?? (() => new Date());
  const lookupPages = options.lookupPages ?? 5;
  const toleranceMs = options.webhookToleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS;
  if (!Number.isFinite(toleranceMs) || toleranceMs < 0) {
    throw new RangeError(
      `createRemittanceProvider: webhookToleranceMs must be a non-negative number, got ${toleranceMs}`,
    );
  }
  const publicKey =
    typeof options.webhookPublicKey === "string"
      ? createPublicKey(options.webhookPublicKey)
      : options.webhookPublicKey;

  async function existing(
    paymentId: string,
    providerReference: string,
    exchanges: ExchangeInit[],
    signal: AbortSignal,
  ) {
    const transfer = await findTransfer({
      client,
      paymentId,
      providerReference,
      pages: lookupPages,
      exchanges,
      signal,
    });
    if (transfer === undefined) {
      throw new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, `Wise has no transfer for payment ${paymentId}`);
    }
    return transfer;
  }

  return {
    describe: () => ({
      provider: "wise",
      displayName: "Wise cross-border transfers",
      methods: [PaymentMethodType.REMITTANCE],
      currencies: [...SOURCES.currencies],
      limits: SOURCES.limits.map((limit) => ({ ...limit })),
      features: [
        adapterv1.Feature.QUOTES,
        adapterv1.Feature.CANCEL,
        adapterv1.Feature.WEBHOOKS,
        adapterv1.Feature.SETTLEMENTS,
      ],
      version: options.version,
    }),

    createQuote: (request, context) => createRemittanceQuote(client, request, SOURCES, context.signal),

    createPayment: (request, context) => createRemittancePayment(client, request, clock(), context.signal),

    async getPaymentStatus(request, context) {
      const exchanges: ExchangeInit[] = [];
      const transfer = await existing(
        request.paymentId,
        request.providerReference,
        exchanges,
        context.signal,
      );
      return { payment: paymentFromTransfer(transfer), exchanges };
    },

    /** Wise cancels a transfer only before it is funded; after that PAYMENT_NOT_CANCELABLE. */
    async cancelPayment(request, context) {
      const exchanges: ExchangeInit[] = [];
      const transfer = await existing(
        request.paymentId,
        request.providerReference,
        exchanges,
        context.signal,
      );
      const answer = await recorded(exchanges, false, () =>
        client.cancelTransfer(transfer.id, context.signal),
      );
      if (!answer.ok) throw wiseFailure(answer, "cancelTransfer", false);
      return { payment: paymentFromTransfer(answer.body), exchanges };
    },

    parseWebhook: async (request) => parseWiseWebhook(request, { publicKey, clock, toleranceMs }),

    listSettlements: (request, context) =>
      listRemittanceSettlements(client, request, SOURCES.currencies, context.signal),
  };
}
