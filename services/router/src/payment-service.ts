import { timestampDate } from "@bufbuild/protobuf/wkt";
import { PaymeshError } from "@paymesh/adapter-kit";
import type { IdempotencyStore } from "@paymesh/idempotency";
import {
  type adapterv1,
  type CancelPaymentRequest,
  type CreateQuoteRequest,
  ErrorReason,
  type ListPaymentsRequest,
  type Payment,
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
  clock?: () => Date;
  newId: (prefix: string) => string;
}

/**
 * The router's PaymentService logic, independent of transport: the gRPC server and the Connect
 * HTTP server both call this, so both behave identically.
 */
export function createPaymentService(options: PaymentServiceOptions) {
  const { store, registry } = options;
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

    async *watchPayment(
      context: RequestContext,
      paymentId: string,
    ): AsyncGenerator<{ payment: Payment; previousStatus: PaymentStatus }> {
      const changes: Array<{ record: PaymentRecord; previous: PaymentRecord }> = [];
      let wake: (() => void) | undefined;
      const unsubscribe = store.subscribe(paymentId, (record, previous) => {
        changes.push({ record, previous });
        wake?.();
      });
      const aborted = new Promise<void>((resolve) =>
        context.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      try {
        const current = await find(context, paymentId);
        yield { payment: toPaymentMessage(current), previousStatus: PaymentStatus.UNSPECIFIED };
        let version = current.version;
        let status = current.status;
        while (!isTerminal(status) && !context.signal.aborted) {
          const change = changes.shift();
          if (change === undefined) {
            await Promise.race([
              new Promise<void>((resolve) => {
                wake = resolve;
              }),
              aborted,
            ]);
            continue;
          }
          if (change.record.version <= version) continue;
          version = change.record.version;
          if (change.record.status === status) continue;
          yield { payment: toPaymentMessage(change.record), previousStatus: status };
          status = change.record.status;
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

    /** The payment a verified provider event refers to, if this adapter has it. */
    async applyWebhookEvent(
      adapter: string,
      event: adapterv1.WebhookEvent,
    ): Promise<PaymentRecord | undefined> {
      const record =
        event.paymentId !== ""
          ? await store.getById(event.paymentId)
          : await store.findByProviderReference(adapter, event.providerReference);
      if (record === undefined || record.adapter !== adapter) return undefined;
      const change: PaymentChange = {
        status: event.status,
        outcomeUnknown: false,
        ...(isTerminal(event.status) ? { resolution: undefined } : {}),
      };
      if (event.failure !== undefined) change.failure = event.failure;
      if (record.providerReference === "" && event.providerReference !== "")
        change.providerReference = event.providerReference;
      return applyChange(store, record, change, "webhook");
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
