import { createPublicKey, type KeyObject } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  invalidField,
  isPaymeshError,
  missingField,
  outcomeError,
  type PaymentProvider,
  type ProviderExchangeInit,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType } from "@paymesh/proto";
import type { WiseClient } from "./wise-client.ts";
import { recorded, wiseError } from "./wise-error-map.ts";
import { fundFromBalance } from "./wise-funding.ts";
import { checkAgainstQuote, createRemittanceQuote, type SourceRules } from "./wise-quotes.ts";
import { listWiseSettlements } from "./wise-settlements.ts";
import { paymentFromTransfer } from "./wise-status.ts";
import { findTransfer } from "./wise-transfer-search.ts";
import { DEFAULT_WEBHOOK_TOLERANCE_MS, parseWiseWebhook } from "./wise-webhook.ts";
import { customerTransactionId, type WiseTransfer } from "./wise-wire.ts";

type CreatePaymentResponseInit = MessageInitShape<typeof adapterv1.CreatePaymentResponseSchema>;

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
 * Cross-border payouts over Wise's API: quotes with a locked rate, recipients, transfers funded
 * from the Wise balance, cancellation before funding, RSA-signed `transfers#state-change` webhooks
 * and balance statements as settlements. The customerTransactionId derived from the payment id is
 * the provider-side idempotency key.
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
    what: string,
    request: { paymentId: string; providerReference: string },
    exchanges: ProviderExchangeInit[],
    signal: AbortSignal,
  ): Promise<WiseTransfer> {
    const { paymentId, providerReference } = request;
    const transfer = await findTransfer({
      client,
      paymentId,
      providerReference,
      pages: lookupPages,
      exchanges,
      signal,
    });
    if (transfer === undefined) throw outcomeError({ kind: "not-found" }, { provider: "Wise", what });
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

    createPayment: (request, context) => createPayment(client, request, clock(), context.signal),

    async getPaymentStatus(request, context) {
      const exchanges: ProviderExchangeInit[] = [];
      const transfer = await existing("status lookup", request, exchanges, context.signal);
      return { payment: paymentFromTransfer(transfer, { paymentId: request.paymentId }), exchanges };
    },

    /** Wise cancels a transfer only before it is funded; after that PAYMENT_NOT_CANCELABLE. */
    async cancelPayment(request, context) {
      const exchanges: ProviderExchangeInit[] = [];
      const transfer = await existing("cancel", request, exchanges, context.signal);
      const answer = await recorded(exchanges, () => client.cancelTransfer(transfer.id, context.signal));
      if (!answer.ok) throw wiseError("cancelTransfer", answer);
      return { payment: paymentFromTransfer(answer.body, { paymentId: request.paymentId }), exchanges };
    },

    parseWebhook: async (request) => parseWiseWebhook(request, { publicKey, clock, toleranceMs }),

    listSettlements: (request, context) =>
      listWiseSettlements(client, request, { currencies: SOURCES.currencies }, context.signal),
  };
}

/**
 * CreatePayment for a remittance: read the quote and check the payment against it, create the
 * recipient, create the transfer with the customerTransactionId derived from the payment id, fund
 * it from the balance, and report the transfer's state. Every step is safe to repeat (the client
 * repeats 429/5xx answers itself, per its rule table), so a repeated call with the same payment id
 * resumes where an earlier one stopped and never makes a second transfer.
 */
async function createPayment(
  client: WiseClient,
  request: adapterv1.CreatePaymentRequest,
  now: Date,
  signal: AbortSignal,
): Promise<CreatePaymentResponseInit> {
  const payment = readRemittanceRequest(request);
  const exchanges: ProviderExchangeInit[] = [];
  const quote = await recorded(exchanges, () => client.getQuote(payment.quoteId, signal));
  if (!quote.ok) throw wiseError("getQuote", quote);
  checkAgainstQuote(quote.body, payment, now);

  const recipient = await recorded(exchanges, () => client.createRecipient({ ...payment.recipient, signal }));
  if (!recipient.ok) throw wiseError("createRecipient", recipient);

  // A lost answer is OUTCOME_UNKNOWN, and a repeated CreatePayment resumes with the same transfer.
  const created = await recorded(exchanges, () =>
    client.createTransfer({
      targetAccount: recipient.body.id,
      quoteUuid: payment.quoteId,
      customerTransactionId: customerTransactionId(request.paymentId),
      reference: payment.reference,
      signal,
    }),
  );
  if (!created.ok) throw wiseError("createTransfer", created);
  let transfer: WiseTransfer = created.body;

  if (transfer.status === "incoming_payment_waiting") {
    const declined = await fundFromBalance(client, transfer, exchanges, signal, request.paymentId);
    if (declined !== undefined) return { payment: declined, exchanges };
  }
  // The state after funding is Wise's to say; if that read fails, the last state Wise told us stands.
  const latest = await recorded(exchanges, () => client.getTransfer(transfer.id, signal)).catch(
    (error: unknown) => {
      if (isPaymeshError(error)) return undefined;
      throw error;
    },
  );
  if (latest?.ok === true) transfer = latest.body;
  return { payment: paymentFromTransfer(transfer, { paymentId: request.paymentId }), exchanges };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The request-level checks that need no provider: the method is remittance and every part Wise
 * needs is present. Formats of the account details are Wise's business; its field errors come
 * back naming `remittance.recipient.details.<field>` (wise-error-map.ts).
 */
function readRemittanceRequest(request: adapterv1.CreatePaymentRequest) {
  if (request.method.case !== "remittance") {
    throw invalidField(
      "method",
      "this adapter serves remittance payments only",
      ErrorReason.METHOD_NOT_SUPPORTED,
    );
  }
  const method = request.method.value;
  if (method.quoteId === "") throw missingField("remittance.quote_id");
  if (!UUID.test(method.quoteId)) {
    throw invalidField("remittance.quote_id", "is not a Wise quote id (a UUID from CreateQuote)");
  }
  const recipient = method.recipient;
  if (recipient === undefined) throw missingField("remittance.recipient");
  if (recipient.currency === "") throw missingField("remittance.recipient.currency");
  if (!/^[A-Z]{3}$/.test(recipient.currency)) {
    throw invalidField("remittance.recipient.currency", `"${recipient.currency}" is not an ISO 4217 code`);
  }
  if (recipient.type === "") throw missingField("remittance.recipient.type");
  if (recipient.accountHolderName.trim() === "")
    throw missingField("remittance.recipient.account_holder_name");
  if (Object.keys(recipient.details).length === 0) throw missingField("remittance.recipient.details");
  if (request.amount === undefined) throw missingField("amount");
  return {
    quoteId: method.quoteId,
    recipient: {
      currency: recipient.currency,
      type: recipient.type,
      accountHolderName: recipient.accountHolderName,
      details: { ...recipient.details },
    },
    reference: method.reference,
    amount: { currency: request.amount.currency, minorUnits: request.amount.minorUnits },
  };
}
