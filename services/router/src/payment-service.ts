import { fromBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import type { IdempotencyStore } from "@paymesh/idempotency";
import {
  type adapterv1,
  type CancelPaymentRequest,
  type CreateQuoteRequest,
  ErrorReason,
  type ListPaymentsRequest,
  type Payment,
  PaymentEventSchema,
  PaymentMethodType,
  PaymentStatus,
  type Quote,
} from "@paymesh/proto";
import {
  isTerminal,
  type PaymentChange,
  type PaymentRecord,
  type PaymentStore,
  toPaymentMessage,
} from "@paymesh/store";
import type { AdapterRegistry } from "./adapter-registry.ts";
import { applyChange } from "./apply-change.ts";
import { applyWebhookEvent, findAdapterPayment } from "./apply-webhook-event.ts";
import { createPaymentCreator } from "./create-payment.ts";
import { createPaymentDriver, toExchangeRecord } from "./drive-payment.ts";
import { decodePageToken, encodePageToken } from "./page-token.ts";
import type { RequestContext } from "./request-context.ts";
import type { ResolverSettings } from "./router-config.ts";
import { validateCreateQuote, validateListPayments, validatePaymentId } from "./validate-request.ts";

export type { RequestContext } from "./request-context.ts";

/** Options for createPaymentService. */
export interface PaymentServiceOptions {
  store: PaymentStore;
  idempotency: IdempotencyStore;
  registry: AdapterRegistry;
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
}

/**
 * The router's PaymentService logic, independent of transport: the gRPC server and the Connect
 * HTTP server both call this, so both behave identically.
 */
export function createPaymentService(options: PaymentServiceOptions) {
  const { store, registry } = options;
  const clock = options.clock ?? (() => new Date());
  const watchPollMs = options.watchPollMs ?? 250;
  const driver = createPaymentDriver({
    store,
    registry,
    resolver: options.resolver,
    ...(options.adapterTimeoutMs === undefined ? {} : { adapterTimeoutMs: options.adapterTimeoutMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const adapterDeadline = driver.adapterDeadline;
  const createPayment = createPaymentCreator({
    store,
    idempotency: options.idempotency,
    registry,
    driver,
    newId: options.newId,
    // A payment whose creating router died is found by the resolver once its call must be over.
    orphanCheckAfterMs: (options.adapterTimeoutMs ?? 15_000) + 30_000,
    ...(options.idempotencyLeaseMs === undefined ? {} : { leaseMs: options.idempotencyLeaseMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });

  return {
    /** The serialized CreatePaymentResponse (byte-identical on replay). */
    createPayment,

    async getPayment(context: RequestContext, paymentId: string): Promise<Payment> {
      return toPaymentMessage(await find(context, paymentId));
    },

    async listPayments(
      context: RequestContext,
      request: ListPaymentsRequest,
    ): Promise<{ payments: Payment[]; nextPageToken: string }> {
      const pageSize = validateListPayments(request);
      const filter = {
        statuses: request.statuses,
        methods: request.methods,
        ...(request.createdAfter === undefined ? {} : { createdAfter: timestampDate(request.createdAfter) }),
        ...(request.createdBefore === undefined
          ? {}
          : { createdBefore: timestampDate(request.createdBefore) }),
        unresolvedOnly: request.unresolvedOnly,
      };
      const after = decodePageToken(request.pageToken, filter);
      const page = await store.list(context.caller, filter, pageSize, after);
      return {
        payments: page.payments.map(toPaymentMessage),
        nextPageToken: page.after === undefined ? "" : encodePageToken(page.after, filter),
      };
    },

    async cancelPayment(context: RequestContext, request: CancelPaymentRequest): Promise<Payment> {
      const record = await find(context, request.paymentId);
      // Only a payment the provider has accepted can be canceled there. A PENDING one may be in
      // flight right now; canceling it locally could leave a live QR or VA at the provider.
      if (record.status !== PaymentStatus.REQUIRES_ACTION && record.status !== PaymentStatus.PROCESSING) {
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_CANCELABLE,
          `payment ${record.id} cannot be canceled while ${PaymentStatus[record.status]}`,
          { field: "payment_id" },
        );
      }
      const handle = registry.get(record.adapter);
      if (handle === undefined) {
        throw new PaymeshError(
          ErrorReason.ADAPTER_UNAVAILABLE,
          `adapter ${record.adapter} is not configured`,
        );
      }
      const response = await handle.client.cancelPayment(
        { paymentId: record.id, providerReference: record.providerReference, reason: request.reason },
        { deadline: adapterDeadline(context), signal: context.signal },
      );
      await store.recordExchanges(record.id, handle.name, response.exchanges.map(toExchangeRecord));
      const status = response.payment?.status ?? PaymentStatus.CANCELED;
      const change: PaymentChange = { status, ...(isTerminal(status) ? { resolution: undefined } : {}) };
      return toPaymentMessage(await applyChange(store, record, change, "api"));
    },

    /**
     * The payment's current state, then each status change until a terminal one. Changes are
     * read from the store's event outbox, so a change made by any router shows, in order and
     * without gaps; one made through this router wakes the watcher at once.
     */
    async *watchPayment(
      context: RequestContext,
      paymentId: string,
    ): AsyncGenerator<{ payment: Payment; previousStatus: PaymentStatus }> {
      let wake: (() => void) | undefined;
      const unsubscribe = store.subscribe(paymentId, () => wake?.());
      const aborted = new Promise<void>((resolve) =>
        context.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      try {
        const current = await find(context, paymentId);
        yield { payment: toPaymentMessage(current), previousStatus: PaymentStatus.UNSPECIFIED };
        let version = current.version;
        let status = current.status;
        while (!isTerminal(status) && !context.signal.aborted) {
          // Armed before reading, so a change committed during the read is not slept through.
          const woken = new Promise<void>((resolve) => {
            wake = resolve;
          });
          const events = await store.paymentEvents(paymentId, version);
          for (const stored of events) {
            version = stored.version;
            const event = fromBinary(PaymentEventSchema, stored.payload);
            if (event.payment === undefined || event.payment.status === status) continue;
            yield { payment: event.payment, previousStatus: status };
            status = event.payment.status;
            if (isTerminal(status)) break;
          }
          if (events.length > 0 || isTerminal(status)) continue;
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            woken,
            aborted,
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, watchPollMs);
            }),
          ]);
          clearTimeout(timer);
        }
        if (!isTerminal(status)) {
          // Ending with OK would tell the caller the payment finished: say why the stream stopped.
          const expired = clock().getTime() >= Number(context.deadline);
          throw new PaymeshError(
            ErrorReason.UNSPECIFIED,
            expired
              ? `the watch reached its deadline while payment ${paymentId} is still ${PaymentStatus[status]}`
              : `the watch of payment ${paymentId} was cancelled`,
            { code: expired ? GrpcCode.DEADLINE_EXCEEDED : GrpcCode.CANCELLED },
          );
        }
      } finally {
        unsubscribe();
      }
    },

    async createQuote(context: RequestContext, request: CreateQuoteRequest): Promise<Quote> {
      validateCreateQuote(request);
      const handle = registry.adaptersFor(PaymentMethodType.REMITTANCE, request.preferredAdapter)[0];
      if (handle === undefined)
        throw new PaymeshError(ErrorReason.METHOD_NOT_SUPPORTED, "no remittance adapter is configured");
      const response = await handle.client.createQuote(
        {
          sourceCurrency: request.sourceCurrency,
          targetCurrency: request.targetCurrency,
          amount: request.amount,
        },
        { deadline: adapterDeadline(context), signal: context.signal },
      );
      if (response.quote === undefined)
        throw new PaymeshError(ErrorReason.PROVIDER_ERROR, "the adapter returned no quote");
      return { ...response.quote, adapter: handle.name };
    },

    /** Applies a verified provider event (see apply-webhook-event.ts). */
    applyWebhookEvent: (adapter: string, event: adapterv1.WebhookEvent) =>
      applyWebhookEvent(store, adapter, event, clock),

    /**
     * A webhook that failed verification yet names a payment of this adapter: its body is not
     * believed, but the claim is a reason to ask the provider now. Schedules the status resolver
     * for that payment (unless it is finished, under review or already due); returns whether it did.
     */
    async checkUnverifiedClaim(
      adapter: string,
      paymentId: string,
      providerReference: string,
    ): Promise<boolean> {
      const record = await findAdapterPayment(store, adapter, paymentId, providerReference);
      const now = clock();
      if (record === undefined || isTerminal(record.status) || record.review !== undefined) return false;
      if (record.resolution !== undefined && record.resolution.nextCheckAt <= now) return false;
      const attempts = record.resolution?.attempts ?? 0;
      await applyChange(store, record, { resolution: { nextCheckAt: now, attempts } }, "webhook");
      return true;
    },
  };

  async function find(context: RequestContext, paymentId: string): Promise<PaymentRecord> {
    validatePaymentId(paymentId);
    const record = await store.get(context.caller, paymentId);
    // Another caller's payment is indistinguishable from a missing one.
    if (record === undefined)
      throw new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, `payment ${paymentId} not found`, {
        field: "payment_id",
      });
    return record;
  }
}

/** The router's PaymentService logic. */
export type PaymentService = ReturnType<typeof createPaymentService>;
