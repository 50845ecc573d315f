import type { IdempotencyStore } from "@paymesh/idempotency";
import {
  type CancelPaymentRequest,
  CancelPaymentRequestSchema,
  type CreatePaymentRequest,
  CreatePaymentRequestSchema,
  type CreateQuoteRequest,
  CreateQuoteRequestSchema,
  type ListPaymentsRequest,
  ListPaymentsRequestSchema,
  type Payment,
  type Quote,
} from "@paymesh/proto";
import { type PaymentStore, toPaymentMessage } from "@paymesh/store";
import { type AdapterDescriptions, createAdapterDescriptions } from "../adapters/adapter-descriptions.ts";
import type { AdapterRegistry } from "../adapters/adapter-handle.ts";
import { createPaymentCanceler } from "../payments/cancel-payment.ts";
import { createPaymentCreator } from "../payments/create-payment.ts";
import { createQuoter } from "../payments/create-quote.ts";
import { createPaymentDriver } from "../payments/drive-payment.ts";
import { findPayment, listPayments } from "../payments/payment-queries.ts";
import type { RequestContext } from "../payments/request-context.ts";
import { createPaymentWatcher, type PaymentWatchStep } from "../payments/watch-payment.ts";
import type { ResolverSettings } from "../router-config.ts";
import type { IdempotencyOutcome } from "../router-metrics.ts";
import { checkRequestText } from "./request-text.ts";
import {
  validateCancelPayment,
  validateCreatePayment,
  validateCreateQuote,
  validateListPayments,
  validatePaymentId,
} from "./validate-request.ts";

/** Options for createPaymentService. */
export interface PaymentServiceOptions {
  store: PaymentStore;
  idempotency: IdempotencyStore;
  registry: AdapterRegistry;
  /** What the adapters declare in Describe. @default asked of each adapter when first needed */
  descriptions?: AdapterDescriptions;
  /** Upper bound on one adapter call. @default 15000 */
  adapterTimeoutMs?: number;
  /** When the status resolver looks at unfinished payments. */
  resolver: ResolverSettings;
  /** How long an idempotency claim holds before another router may take over. @default 30000 */
  idempotencyLeaseMs?: number;
  /**
   * How often WatchPayment looks for changes made by other routers (changes made through this
   * router wake it at once). @default 250
   */
  watchPollMs?: number;
  clock?: () => Date;
  newId: (prefix: string) => string;
  /** Told what each CreatePayment's idempotency check found. @default nothing */
  onIdempotencyOutcome?: (outcome: IdempotencyOutcome) => void;
}

/**
 * The router's PaymentService, independent of transport: the gRPC server and the Connect HTTP
 * server both call this, so both behave identically. Each method checks its request and hands it
 * to its flow (payments/); the transports authenticate the caller first.
 */
export function createPaymentService(options: PaymentServiceOptions) {
  const { store, registry } = options;
  const clock = options.clock ?? (() => new Date());
  const withClock = options.clock === undefined ? {} : { clock: options.clock };
  const adapterTimeoutMs = options.adapterTimeoutMs ?? 15_000;
  const driver = createPaymentDriver({
    store,
    registry,
    resolver: options.resolver,
    adapterTimeoutMs,
    ...withClock,
  });
  const { adapterDeadline } = driver;
  const create = createPaymentCreator({
    store,
    idempotency: options.idempotency,
    registry,
    descriptions: options.descriptions ?? createAdapterDescriptions(withClock),
    driver,
    newId: options.newId,
    // A payment whose creating router died is found by the resolver once its call must be over.
    orphanCheckAfterMs: adapterTimeoutMs + 30_000,
    ...(options.idempotencyLeaseMs === undefined ? {} : { leaseMs: options.idempotencyLeaseMs }),
    ...(options.onIdempotencyOutcome === undefined
      ? {}
      : { onIdempotencyOutcome: options.onIdempotencyOutcome }),
    ...withClock,
  });
  const cancel = createPaymentCanceler({ store, registry, adapterDeadline });
  const watch = createPaymentWatcher({
    store,
    ...(options.watchPollMs === undefined ? {} : { pollMs: options.watchPollMs }),
    ...withClock,
  });
  const quote = createQuoter({ registry, adapterDeadline });

  return {
    /** The serialized CreatePaymentResponse (byte-identical on replay). */
    async createPayment(context: RequestContext, request: CreatePaymentRequest): Promise<Uint8Array> {
      checkRequestText(CreatePaymentRequestSchema, request);
      validateCreatePayment(request, clock());
      return create(context, request);
    },

    async getPayment(context: RequestContext, paymentId: string): Promise<Payment> {
      validatePaymentId(paymentId);
      return toPaymentMessage(await findPayment(store, context, paymentId));
    },

    async listPayments(
      context: RequestContext,
      request: ListPaymentsRequest,
    ): Promise<{ payments: Payment[]; nextPageToken: string }> {
      checkRequestText(ListPaymentsRequestSchema, request);
      const pageSize = validateListPayments(request);
      return listPayments(store, context, request, pageSize);
    },

    async cancelPayment(context: RequestContext, request: CancelPaymentRequest): Promise<Payment> {
      checkRequestText(CancelPaymentRequestSchema, request);
      validateCancelPayment(request);
      return cancel(context, request);
    },

    /** The payment's current state, then each status change until a terminal one. */
    async *watchPayment(context: RequestContext, paymentId: string): AsyncGenerator<PaymentWatchStep> {
      validatePaymentId(paymentId);
      yield* watch(context, paymentId);
    },

    async createQuote(context: RequestContext, request: CreateQuoteRequest): Promise<Quote> {
      checkRequestText(CreateQuoteRequestSchema, request);
      validateCreateQuote(request);
      return quote(context, request);
    },
  };
}

/** The router's PaymentService. */
export type PaymentService = ReturnType<typeof createPaymentService>;
