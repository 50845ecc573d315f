// The PaymentProvider: Paymesh calls in, the provider's endpoints out, Paymesh answers back.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  GrpcCode,
  invalidField,
  isProviderTransportError,
  jsonObject,
  malformedAnswer,
  outcomeError,
  type PaymentProvider,
  PaymeshError,
  type ProviderExchangeInit,
  type ProviderOutcome,
  type ProviderRetryOptions,
  toExchangeInit,
  transportFailure,
} from "@paymesh/adapter-kit";
import { adapterv1, ErrorReason, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import { type Answer, createClient, PROVIDER_NAME } from "./__name__-client.ts";
import { outcomeOf } from "./__name__-error-map.ts";
import { statusOf } from "./__name__-status.ts";
import { createWebhookParser, DEFAULT_TOLERANCE_MS } from "./__name__-webhook.ts";
import {
  BANK_CODES,
  bankOf,
  createPaymentBody,
  readError,
  readPayment,
  type WireError,
  type WirePayment,
} from "./__name__-wire.ts";

type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;

/** What the provider needs: the config's connection and secrets, and what Describe reports. */
export interface ProviderOptions {
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  /** Reported by Describe. */
  version: string;
  /** @default 10000 */
  timeoutMs?: number;
  retry?: ProviderRetryOptions;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default () => new Date() */
  clock?: () => Date;
  /** @default 300000 */
  webhookToleranceMs?: number;
}

/** The amounts the provider takes, in IDR minor units: Rp10.000 to Rp50.000.000. */
const LIMIT = { currency: "IDR", minMinorUnits: 10_000_00n, maxMinorUnits: 50_000_000_00n };

/** The calls, as the kit's error messages name them. */
const CREATE = { what: "create payment", readOnly: false };
const LOOKUP = { what: "status lookup", readOnly: true };

/** An answer read: the payment of a 2xx, or the provider's error. */
type Reading = { payment: WirePayment } | { error: WireError | undefined };

/**
 * Virtual-account payments at the provider. The payment id is the provider's `reference` and the
 * Idempotency-Key of its create call, so one payment id is one payment upstream however often the
 * router sends it.
 */
export function createProvider(options: ProviderOptions): PaymentProvider {
  const client = createClient(options);
  const clock = options.clock ?? (() => new Date());
  const parseWebhook = createWebhookParser({
    secret: options.webhookSecret,
    clock,
    toleranceMs: options.webhookToleranceMs ?? DEFAULT_TOLERANCE_MS,
  });

  /**
   * Sends one call and reads its answer; a lost or unreadable answer becomes the kit's error for it
   * (`readOnly`: a lookup, which cannot have acted).
   */
  async function send(
    what: { what: string; readOnly: boolean },
    exchanges: ProviderExchangeInit[],
    call: () => Promise<Answer>,
  ): Promise<Reading> {
    try {
      const answer = await call();
      exchanges.push(...answer.exchanges.map(toExchangeInit));
      return read(answer);
    } catch (error) {
      if (!isProviderTransportError(error)) throw error;
      throw transportFailure(error, { provider: PROVIDER_NAME, ...what });
    }
  }

  /** The provider's record of the payment, or undefined when it has none. */
  async function lookup(
    paymentId: string,
    exchanges: ProviderExchangeInit[],
    signal: AbortSignal,
  ): Promise<ProviderPaymentInit | undefined> {
    const reading = await send(LOOKUP, exchanges, () => client.getPayment(paymentId, signal));
    if ("payment" in reading) return paymentOf(reading.payment);
    const outcome = outcomeOf(reading.error);
    if (outcome.kind === "not-found") return undefined;
    throw failure(outcome, LOOKUP.what, reading.error);
  }

  return {
    describe: () => ({
      provider: "__name__",
      displayName: PROVIDER_NAME,
      methods: [PaymentMethodType.VIRTUAL_ACCOUNT],
      currencies: ["IDR"],
      limits: [LIMIT],
      features: [adapterv1.Feature.WEBHOOKS, adapterv1.Feature.CUSTOMER_ACTION],
      version: options.version,
    }),

    async createPayment(request, context) {
      if (request.method.case !== "virtualAccount") {
        const message = "this adapter serves virtual account payments only";
        throw invalidField("method", message, ErrorReason.METHOD_NOT_SUPPORTED);
      }
      const bank = BANK_CODES[request.method.value.bank];
      if (bank === undefined) {
        const message = "choose one of the banks the provider serves";
        throw invalidField("virtual_account.bank", message, ErrorReason.BANK_NOT_SUPPORTED);
      }
      const exchanges: ProviderExchangeInit[] = [];
      const body = createPaymentBody(request, bank);
      const reading = await send(CREATE, exchanges, () => client.createPayment(body, context.signal));
      if ("payment" in reading) return { payment: paymentOf(reading.payment), exchanges };

      const outcome = outcomeOf(reading.error);
      if (outcome.kind === "declined") {
        const failure = {
          reason: outcome.reason,
          message: reading.error?.message ?? "",
          providerCode: reading.error?.code ?? "",
        };
        const amount = request.amount === undefined ? {} : { amount: request.amount };
        return { payment: { status: PaymentStatus.FAILED, failure, ...amount }, exchanges };
      }
      if (outcome.kind !== "duplicate" && outcome.kind !== "uncertain") {
        throw failure(outcome, CREATE.what, reading.error);
      }
      // The provider has this payment (duplicate) or may have (uncertain): its own record decides.
      const existing = await lookup(request.paymentId, exchanges, context.signal).catch((cause: unknown) => {
        throw new PaymeshError(
          ErrorReason.OUTCOME_UNKNOWN,
          `create payment: ${PROVIDER_NAME} may have acted, and asking it failed`,
          { code: GrpcCode.DEADLINE_EXCEEDED, cause },
        );
      });
      if (existing !== undefined) return { payment: existing, exchanges };
      const uncertain = { kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR } as const;
      throw failure(uncertain, CREATE.what, reading.error);
    },

    async getPaymentStatus(request, context) {
      const exchanges: ProviderExchangeInit[] = [];
      const payment = await lookup(request.paymentId, exchanges, context.signal);
      if (payment === undefined) {
        throw outcomeError({ kind: "not-found" }, { provider: PROVIDER_NAME, what: LOOKUP.what });
      }
      return { payment, exchanges };
    },

    parseWebhook,
  };
}

/** A 2xx answer's payment, or the provider's error of any other; anything else is malformed. */
function read(answer: Answer): Reading {
  const body = jsonObject(answer);
  if (answer.status < 200 || answer.status > 299) return { error: readError(body) };
  const payment = readPayment(body);
  if (payment === undefined) throw malformedAnswer(answer, "a 2xx answer without a payment");
  return { payment };
}

/** The payment as the router stores it. */
function paymentOf(payment: WirePayment): ProviderPaymentInit {
  const { status, failure } = statusOf(payment.status);
  const vaNumber = payment.vaNumber;
  return {
    status,
    providerReference: payment.id,
    providerStatus: payment.status,
    amount: payment.amount,
    ...(failure === undefined ? {} : { failure }),
    ...(status !== PaymentStatus.REQUIRES_ACTION || vaNumber === undefined
      ? {}
      : {
          customerAction: {
            action: { case: "virtualAccount", value: { bank: bankOf(payment.bank), vaNumber } },
          },
        }),
  };
}

/** The error for an answer that ends the call; a decline or a duplicate here means nothing sure. */
function failure(outcome: ProviderOutcome, what: string, error: WireError | undefined): PaymeshError {
  const call = { provider: PROVIDER_NAME, what, providerCode: error?.code, providerMessage: error?.message };
  if (outcome.kind === "declined" || outcome.kind === "duplicate") {
    return outcomeError({ kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }, call);
  }
  return outcomeError(outcome, call);
}
