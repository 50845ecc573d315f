import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  invalidField,
  isProviderTransportError,
  nothingCreated,
  outcomeError,
  type PaymentProvider,
  PaymeshError,
  type ProviderCallDescription,
  type ProviderExchangeInit,
  type ProviderOutcome,
  settleByLookup,
  toExchangeInit,
  transportFailure,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import type { KeyLike } from "@paymesh/snap";
import { listQrisSettlements } from "./qris-settlements.ts";
import type { SnapQrClient } from "./snap-client.ts";
import { snapOutcome } from "./snap-error-map.ts";
import { expiryOf, paymentFromQuery } from "./snap-status.ts";
import { DEFAULT_NOTIFICATION_TOLERANCE_MS, parseSnapNotification } from "./snap-webhook.ts";
import type { SnapExchange, SnapFailure } from "./snap-wire.ts";

type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/** Options for createQrisProvider. */
export interface QrisProviderOptions {
  client: SnapQrClient;
  /** The bank's public key: notifications are signed with its private key (SNAP asymmetric). */
  bankPublicKey: KeyLike;
  /** Reported by Describe. */
  version: string;
  /** @default () => new Date() */
  clock?: () => Date;
  /**
   * How far a notification's signed X-TIMESTAMP may be from `clock`, past or future, before it is
   * refused as a replay (WEBHOOK_SIGNATURE_INVALID).
   * @default 300000
   */
  webhookToleranceMs?: number;
}

/** The provider's name in error messages. */
const PROVIDER = "SNAP";
/** QRIS allows up to Rp10.000.000 per transaction (Bank Indonesia, since 2023); IDR exponent 2. */
const LIMIT = { currency: "IDR", minMinorUnits: 1_00n, maxMinorUnits: 10_000_000_00n };
/**
 * The label travels as SNAP `terminalId` (at most 16 characters) and ends up in the QR's tag 62
 * (printable ASCII), so the tighter of the two rules applies.
 */
const LABEL = /^[\x20-\x7e]{1,16}$/;
/** `404xx04` Transaction Cancelled, answered to a cancel. */
const ALREADY_CANCELLED = /^404\d{2}04$/;

/**
 * QRIS over Bank Indonesia SNAP QR MPM: generate a dynamic QR, query and cancel it, and verify the
 * bank's signed payment notifications. The partnerReferenceNo is the payment id itself, so the
 * bank's duplicate check (409xx01) is the provider-side idempotency key.
 */
export function createQrisProvider(options: QrisProviderOptions): PaymentProvider {
  const { client } = options;
  const clock = options.clock ?? (() => new Date());
  const toleranceMs = options.webhookToleranceMs ?? DEFAULT_NOTIFICATION_TOLERANCE_MS;
  if (!Number.isFinite(toleranceMs) || toleranceMs < 0)
    throw new RangeError(
      `createQrisProvider: webhookToleranceMs must be a non-negative number, got ${toleranceMs}`,
    );

  /** The bank's record of the QR, or undefined when it has none. */
  async function lookup(
    paymentId: string,
    providerReference: string,
    exchanges: ProviderExchangeInit[],
    signal: AbortSignal,
  ): Promise<ProviderPaymentInit | undefined> {
    const answer = await client.queryQr({
      partnerReferenceNo: paymentId,
      ...(providerReference === "" ? {} : { referenceNo: providerReference }),
      signal,
    });
    exchanges.push(...auditTrail(answer.exchanges));
    if (answer.ok) return paymentFromQuery(answer.body, paymentId);
    const outcome = snapOutcome(answer.responseCode, paymentId);
    if (outcome.kind === "not-found") return undefined;
    if (outcome.kind === "refused") throw refusal(outcome, "status query", answer);
    // A read acts on nothing, so a failed one is the bank's failure as it stands, never "may have acted".
    const reason = outcome.kind === "uncertain" ? outcome.reason : ErrorReason.PROVIDER_ERROR;
    throw outcomeError({ kind: "uncertain", reason }, { ...said("status query", answer), readOnly: true });
  }

  return {
    describe: () => ({
      provider: "snap-qris",
      displayName: "QRIS via Bank Indonesia SNAP QR MPM",
      methods: [PaymentMethodType.QRIS],
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
      if (request.method.case !== "qris") {
        throw invalidField(
          "method",
          "this adapter serves QRIS payments only",
          ErrorReason.METHOD_NOT_SUPPORTED,
        );
      }
      const terminalLabel = request.method.value.terminalLabel;
      if (terminalLabel !== "" && !LABEL.test(terminalLabel)) {
        throw invalidField(
          "qris.terminal_label",
          "must be 1 to 16 printable ASCII characters (SNAP terminalId)",
        );
      }
      const validityPeriod = request.expiresAt === undefined ? undefined : timestampDate(request.expiresAt);
      if (validityPeriod !== undefined && validityPeriod <= clock())
        throw invalidField("expires_at", "must be in the future");
      const amount = { currency: "IDR", minorUnits: request.amount?.minorUnits ?? 0n };

      const exchanges: ProviderExchangeInit[] = [];
      try {
        const answer = await client.generateQr({
          partnerReferenceNo: request.paymentId,
          amountMinorUnits: amount.minorUnits,
          ...(validityPeriod === undefined ? {} : { validityPeriod }),
          ...(terminalLabel === "" ? {} : { terminalLabel }),
          signal: context.signal,
        });
        exchanges.push(...auditTrail(answer.exchanges));
        if (answer.ok) {
          const { referenceNo, qrContent, additionalInfo } = answer.body;
          return {
            payment: {
              status: PaymentStatus.REQUIRES_ACTION,
              providerReference: referenceNo,
              customerAction: { action: { case: "qris", value: { qrString: qrContent } } },
              providerStatus: answer.responseCode,
              amount,
              ...expiryOf(additionalInfo?.validityPeriod),
            },
            exchanges,
          };
        }
        const outcome = snapOutcome(answer.responseCode, request.paymentId);
        if (outcome.kind === "refused" || outcome.kind === "not-found")
          throw refusal(outcome, "QR generation", answer);
        if (outcome.kind === "declined") {
          const failure = {
            reason: outcome.reason,
            message: answer.responseMessage,
            providerCode: answer.responseCode,
          };
          const payment = {
            status: PaymentStatus.FAILED,
            failure,
            providerStatus: answer.responseCode,
            amount,
          };
          return { payment, exchanges };
        }
        // Duplicate: the bank already has this partnerReferenceNo. Uncertain (5xx): it may have.
        // Either way the bank's own record decides; if asking fails, the outcome stays unknown.
        const existing = await settleByLookup({ provider: PROVIDER, what: "QR generation" }, () =>
          lookup(request.paymentId, "", exchanges, context.signal),
        );
        if (existing !== undefined) return { payment: existing, exchanges };
        // The bank says it has no such QR: nothing was created, so the request may go again or elsewhere.
        throw nothingCreated(outcome, said("QR generation", answer));
      } catch (error) {
        throw mapTransport(error, "QR generation");
      }
    },

    async getPaymentStatus(request, context) {
      const exchanges: ProviderExchangeInit[] = [];
      const { paymentId, providerReference } = request;
      const payment = await lookup(paymentId, providerReference, exchanges, context.signal).catch(
        (error: unknown) => {
          throw mapTransport(error, "status query", true);
        },
      );
      if (payment === undefined)
        throw outcomeError(
          { kind: "not-found" },
          { provider: PROVIDER, what: `status query of ${paymentId}` },
        );
      return { payment, exchanges };
    },

    async cancelPayment(request, context) {
      const exchanges: ProviderExchangeInit[] = [];
      const answer = await client
        .cancelQr({
          partnerReferenceNo: request.paymentId,
          ...(request.providerReference === "" ? {} : { referenceNo: request.providerReference }),
          ...(request.reason === "" ? {} : { reason: request.reason }),
          signal: context.signal,
        })
        .catch((error: unknown) => {
          throw mapTransport(error, "QR cancel");
        });
      exchanges.push(...auditTrail(answer.exchanges));
      // 404xx04 Transaction Cancelled: it is cancelled already, so the bank's record answers.
      if (!answer.ok && !ALREADY_CANCELLED.test(answer.responseCode)) {
        const outcome = snapOutcome(answer.responseCode, request.paymentId);
        if (outcome.kind === "refused" || outcome.kind === "not-found")
          throw refusal(outcome, "QR cancel", answer);
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_CANCELABLE,
          `the bank refused to cancel: ${answer.responseMessage} (${answer.responseCode})`,
          { providerCode: answer.responseCode },
        );
      }
      const payment = await lookup(
        request.paymentId,
        request.providerReference,
        exchanges,
        context.signal,
      ).catch((error: unknown) => {
        throw mapTransport(error, "status query", true);
      });
      return {
        payment: payment ?? { status: PaymentStatus.CANCELED, providerReference: request.providerReference },
        exchanges,
      };
    },

    parseWebhook: async (request) =>
      parseSnapNotification(request, { bankPublicKey: options.bankPublicKey, clock, toleranceMs }),

    listSettlements: (request, context) => listQrisSettlements(client, request.date, context.signal),
  };
}

/** The error for an answer that refused the request or names no payment, with SNAP's code verbatim. */
function refusal(
  outcome: Extract<ProviderOutcome, { kind: "refused" | "not-found" }>,
  what: string,
  answer: SnapFailure,
): PaymeshError {
  return outcomeError(outcome, said(what, answer));
}

/** The call as the kit's errors describe it, SNAP's responseCode and words verbatim. */
function said(what: string, answer: SnapFailure): ProviderCallDescription {
  return {
    provider: PROVIDER,
    what,
    providerCode: answer.responseCode,
    providerMessage: answer.responseMessage,
  };
}

/** A call that got no usable answer, as the kit words it; any other error passes through. */
function mapTransport(error: unknown, what: string, readOnly = false): unknown {
  return isProviderTransportError(error)
    ? transportFailure(error, { provider: PROVIDER, what, readOnly })
    : error;
}

/**
 * The round trips a payment's audit trail keeps, retried attempts included. A granted access
 * token's exchange is left out: its body is the bearer token, which must never be stored (the
 * masker redacts it too; leaving it out keeps the trail to the payment's own calls).
 */
function auditTrail(list: readonly SnapExchange[]): ProviderExchangeInit[] {
  const granted = (e: SnapExchange) =>
    e.operation === "accessToken" &&
    e.responseStatus !== undefined &&
    e.responseStatus >= 200 &&
    e.responseStatus < 300;
  return list.filter((e) => !granted(e)).map(toExchangeInit);
}
