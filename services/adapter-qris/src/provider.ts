import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  invalidField,
  type PaymentProvider,
  PaymeshError,
  type ProviderExchangeInit,
  parseDecimalAmount,
  toExchangeInit,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import type { KeyLike } from "@paymesh/snap";
import { isSnapTransportError, type SnapExchange, type SnapQrClient } from "./snap-client.ts";
import { snapOutcome, snapRefusal } from "./snap-error-map.ts";
import { DEFAULT_NOTIFICATION_TOLERANCE_MS, parseSnapNotification } from "./snap-notification.ts";
import { paymentStatusFromSnap } from "./snap-status.ts";

type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;
type ExchangeInit = ProviderExchangeInit;

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

/** QRIS allows up to Rp10.000.000 per transaction (Bank Indonesia, since 2023); IDR exponent 2. */
const LIMIT = { currency: "IDR", minMinorUnits: 1_00n, maxMinorUnits: 10_000_000_00n };
/**
 * The label travels as SNAP `terminalId` (at most 16 characters) and ends up in the QR's tag 62
 * (printable ASCII), so the tighter of the two rules applies.
 */
const LABEL = /^[\x20-\x7e]{1,16}$/;

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

  async function lookup(
    paymentId: string,
    providerReference: string,
    exchanges: ExchangeInit[],
    signal: AbortSignal,
  ): Promise<ProviderPaymentInit | undefined> {
    const answer = await client.queryQr({
      partnerReferenceNo: paymentId,
      ...(providerReference === "" ? {} : { referenceNo: providerReference }),
      signal,
    });
    exchanges.push(...auditTrail(answer.exchanges));
    if (answer.ok) return fromQuery(answer.body);
    const outcome = snapOutcome(answer.responseCode);
    if (outcome.kind === "refused" && outcome.reason === ErrorReason.PAYMENT_NOT_FOUND) return undefined;
    if (outcome.kind === "refused") throw snapRefusal(outcome, answer.responseCode, answer.responseMessage);
    throw new PaymeshError(
      outcome.kind === "uncertain" ? outcome.reason : ErrorReason.PROVIDER_ERROR,
      `status query failed: ${answer.responseMessage} (${answer.responseCode})`,
      {
        providerCode: answer.responseCode,
      },
    );
  }

  return {
    describe: () => ({
      provider: "snap-qris",
      displayName: "QRIS via Bank Indonesia SNAP QR MPM",
      methods: [PaymentMethodType.QRIS],
      currencies: ["IDR"],
      limits: [LIMIT],
      features: [adapterv1.Feature.CANCEL, adapterv1.Feature.WEBHOOKS, adapterv1.Feature.CUSTOMER_ACTION],
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
      const amount = request.amount?.minorUnits ?? 0n;

      const exchanges: ExchangeInit[] = [];
      try {
        const answer = await client.generateQr({
          partnerReferenceNo: request.paymentId,
          amountMinorUnits: amount,
          ...(validityPeriod === undefined ? {} : { validityPeriod }),
          ...(terminalLabel === "" ? {} : { terminalLabel }),
          signal: context.signal,
        });
        exchanges.push(...auditTrail(answer.exchanges));
        if (answer.ok) {
          return {
            payment: {
              status: PaymentStatus.REQUIRES_ACTION,
              providerReference: answer.body.referenceNo,
              customerAction: { action: { case: "qris", value: { qrString: answer.body.qrContent } } },
              providerStatus: answer.responseCode,
              amount: { currency: "IDR", minorUnits: amount },
              ...expiry(answer.body.additionalInfo?.validityPeriod),
            },
            exchanges,
          };
        }
        const outcome = snapOutcome(answer.responseCode);
        if (outcome.kind === "refused")
          throw snapRefusal(outcome, answer.responseCode, answer.responseMessage);
        if (outcome.kind === "declined") {
          return {
            payment: {
              status: PaymentStatus.FAILED,
              failure: {
                reason: outcome.reason,
                message: answer.responseMessage,
                providerCode: answer.responseCode,
              },
              providerStatus: answer.responseCode,
              amount: { currency: "IDR", minorUnits: amount },
            },
            exchanges,
          };
        }
        // Duplicate: the bank already has this partnerReferenceNo. Uncertain (5xx): it may have.
        // Either way the bank's own record decides.
        const existing = await lookup(request.paymentId, "", exchanges, context.signal);
        if (existing !== undefined) return { payment: existing, exchanges };
        throw new PaymeshError(
          outcome.kind === "uncertain" ? outcome.reason : ErrorReason.PROVIDER_ERROR,
          `QR generation failed: ${answer.responseMessage} (${answer.responseCode}); nothing was created`,
          {
            code: 14,
            providerCode: answer.responseCode,
            neverReachedProvider: true,
          },
        );
      } catch (error) {
        if (!isSnapTransportError(error)) throw error;
        exchanges.push(...auditTrail(error.exchanges));
        if (!error.sent) {
          throw new PaymeshError(
            ErrorReason.PROVIDER_UNAVAILABLE,
            `the bank could not be reached: ${error.message}`,
            {
              code: 14,
              neverReachedProvider: true,
              cause: error,
            },
          );
        }
        throw new PaymeshError(ErrorReason.OUTCOME_UNKNOWN, `the bank's answer was lost: ${error.message}`, {
          code: 4,
          cause: error,
        });
      }
    },

    async getPaymentStatus(request, context) {
      const exchanges: ExchangeInit[] = [];
      const payment = await lookup(
        request.paymentId,
        request.providerReference,
        exchanges,
        context.signal,
      ).catch((error: unknown) => {
        if (isSnapTransportError(error)) {
          throw new PaymeshError(
            ErrorReason.PROVIDER_UNAVAILABLE,
            `the bank could not be reached: ${error.message}`,
            { code: 14, cause: error },
          );
        }
        throw error;
      });
      if (payment === undefined)
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_FOUND,
          `the bank has no QR for payment ${request.paymentId}`,
        );
      return { payment, exchanges };
    },

    async cancelPayment(request, context) {
      const exchanges: ExchangeInit[] = [];
      const answer = await client.cancelQr({
        partnerReferenceNo: request.paymentId,
        ...(request.providerReference === "" ? {} : { referenceNo: request.providerReference }),
        ...(request.reason === "" ? {} : { reason: request.reason }),
        signal: context.signal,
      });
      exchanges.push(...auditTrail(answer.exchanges));
      if (!answer.ok) {
        const outcome = snapOutcome(answer.responseCode);
        if (outcome.kind === "refused")
          throw snapRefusal(outcome, answer.responseCode, answer.responseMessage);
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_CANCELABLE,
          `the bank refused to cancel: ${answer.responseMessage} (${answer.responseCode})`,
          {
            providerCode: answer.responseCode,
          },
        );
      }
      const payment = await lookup(request.paymentId, request.providerReference, exchanges, context.signal);
      return {
        payment: payment ?? { status: PaymentStatus.CANCELED, providerReference: request.providerReference },
        exchanges,
      };
    },

    parseWebhook: async (request) =>
      parseSnapNotification(request, { bankPublicKey: options.bankPublicKey, clock, toleranceMs }),
  };
}

function fromQuery(body: {
  originalReferenceNo: string;
  latestTransactionStatus: string;
  transactionStatusDesc?: string;
  amount?: { value: string; currency: string };
  additionalInfo?: { qrContent?: string; validityPeriod?: string };
}): ProviderPaymentInit {
  const status = paymentStatusFromSnap(body.latestTransactionStatus, body.transactionStatusDesc ?? "");
  const qrContent = body.additionalInfo?.qrContent;
  return {
    status,
    providerReference: body.originalReferenceNo,
    providerStatus: body.latestTransactionStatus,
    ...(qrContent === undefined || status !== PaymentStatus.REQUIRES_ACTION
      ? {}
      : { customerAction: { action: { case: "qris", value: { qrString: qrContent } } } }),
    ...(body.amount === undefined
      ? {}
      : {
          amount: {
            currency: body.amount.currency,
            minorUnits: parseDecimalAmount(body.amount.value, body.amount.currency),
          },
        }),
    ...expiry(body.additionalInfo?.validityPeriod),
    ...(status === PaymentStatus.FAILED
      ? {
          failure: {
            reason: ErrorReason.PROVIDER_DECLINED,
            message: body.transactionStatusDesc ?? "",
            providerCode: body.latestTransactionStatus,
          },
        }
      : {}),
    ...(status === PaymentStatus.EXPIRED
      ? {
          failure: {
            reason: ErrorReason.PAYMENT_EXPIRED,
            message: body.transactionStatusDesc ?? "",
            providerCode: body.latestTransactionStatus,
          },
        }
      : {}),
  };
}

function expiry(validityPeriod: string | undefined): { expiresAt?: ReturnType<typeof timestampFromDate> } {
  if (validityPeriod === undefined) return {};
  const date = new Date(validityPeriod);
  return Number.isNaN(date.getTime()) ? {} : { expiresAt: timestampFromDate(date) };
}

/**
 * The round trips a payment's audit trail keeps, retried attempts included. A granted access
 * token's exchange is left out: its body is the bearer token, which must never be stored.
 */
function auditTrail(list: readonly SnapExchange[]): ExchangeInit[] {
  const granted = (e: SnapExchange) =>
    e.operation === "accessToken" &&
    e.responseStatus !== undefined &&
    e.responseStatus >= 200 &&
    e.responseStatus < 300;
  return list.filter((e) => !granted(e)).map(toExchange);
}

/** The audit record of one HTTP exchange, as the router stores it. */
export const toExchange: (exchange: SnapExchange) => ExchangeInit = toExchangeInit;
