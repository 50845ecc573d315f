import { createHash } from "node:crypto";
import { clone, create, toBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import {
  type adapterv1,
  type CancelPaymentRequest,
  type CreatePaymentRequest,
  CreatePaymentRequestSchema,
  type CreateQuoteRequest,
  ErrorReason,
  type ListPaymentsRequest,
  type Payment,
  PaymentFailureSchema,
  PaymentMethodType,
  PaymentStatus,
  type Quote,
} from "@paymesh/proto";
import type { PaymentChange, PaymentStore } from "@paymesh/store";
import { isTerminal, methodType, type PaymentRecord, toPaymentMessage } from "@paymesh/store";
import type { AdapterHandle, AdapterRegistry } from "./adapter-registry.ts";
import { applyChange } from "./apply-change.ts";
import { decodePageToken, encodePageToken } from "./page-token.ts";
import {
  validateCreatePayment,
  validateCreateQuote,
  validateListPayments,
  validatePaymentId,
} from "./validate-request.ts";

/** Who is calling and for how long they will wait. */
export interface RequestContext {
  caller: string;
  /** The caller's deadline; Infinity when none. */
  deadline: Date | number;
  signal: AbortSignal;
}

/** Options for createPaymentService. */
export interface PaymentServiceOptions {
  store: PaymentStore;
  registry: AdapterRegistry;
  /** Upper bound on one adapter call. @default 15000 */
  adapterTimeoutMs?: number;
  clock?: () => Date;
  newId: (prefix: string) => string;
}

/**
 * The router's PaymentService logic, independent of transport: the gRPC server and the Connect
 * HTTP server both call this, so both behave identically.
 */
export function createPaymentService(options: PaymentServiceOptions) {
  const { store, registry, newId } = options;
  const clock = options.clock ?? (() => new Date());
  const adapterTimeoutMs = options.adapterTimeoutMs ?? 15_000;
  // Payments whose adapter call is running in this process. A second request for the same key
  // meanwhile gets IDEMPOTENCY_KEY_IN_USE instead of a second call.
  const inFlight = new Set<string>();

  const adapterDeadline = (context: RequestContext): Date => {
    const callerDeadline = context.deadline instanceof Date ? context.deadline.getTime() : context.deadline;
    return new Date(Math.min(callerDeadline, clock().getTime() + adapterTimeoutMs));
  };

  async function drive(
    record: PaymentRecord,
    candidates: AdapterHandle[],
    context: RequestContext,
  ): Promise<Payment> {
    // After an unknown outcome only the same adapter may be asked again: another provider might
    // charge a second time.
    const handle = record.outcomeUnknown ? registry.get(record.adapter) : candidates[0];
    if (handle === undefined)
      throw new PaymeshError(ErrorReason.ADAPTER_UNAVAILABLE, `adapter ${record.adapter} is not configured`);
    inFlight.add(record.id);
    try {
      await applyChange(store, record.id, { adapter: handle.name }, "api");
      let response: adapterv1.CreatePaymentResponse;
      try {
        response = await handle.client.createPayment(
          {
            paymentId: record.id,
            amount: record.amount,
            method: record.method,
            merchantReference: record.merchantReference,
            description: record.description,
            metadata: record.metadata,
            ...(record.expiresAt === undefined
              ? {}
              : { expiresAt: { seconds: BigInt(Math.floor(record.expiresAt.getTime() / 1000)) } }),
          },
          { deadline: adapterDeadline(context), signal: context.signal },
        );
      } catch (error) {
        throw await recordAdapterFailure(record, PaymeshError.from(error));
      }
      const provider = response.payment;
      const updated = await applyChange(
        store,
        record.id,
        {
          status: provider?.status ?? PaymentStatus.PENDING,
          providerReference: provider?.providerReference ?? "",
          customerAction: provider?.customerAction,
          failure: provider?.failure,
          outcomeUnknown: false,
          ...(provider?.expiresAt === undefined ? {} : { expiresAt: timestampDate(provider.expiresAt) }),
        },
        "api",
      );
      return toPaymentMessage(updated);
    } finally {
      inFlight.delete(record.id);
    }
  }

  /**
   * Records what an adapter error means for the payment and returns the error for the caller.
   * A definite refusal ends the payment FAILED; a call that never reached the provider leaves it
   * PENDING for a retry; anything else is an unknown outcome and is flagged, never guessed.
   */
  async function recordAdapterFailure(record: PaymentRecord, error: PaymeshError): Promise<PaymeshError> {
    if (isDefiniteRefusal(error)) {
      const failure = create(PaymentFailureSchema, {
        reason: error.reason,
        message: error.message,
        providerCode: error.metadata.provider_code ?? "",
      });
      await applyChange(
        store,
        record.id,
        { status: PaymentStatus.FAILED, failure, outcomeUnknown: false },
        "api",
      );
      return error;
    }
    // Provably never reached the provider (adapter down, or the adapter could not connect to the
    // provider): the payment stays PENDING and a retry with the same key drives it again.
    if (
      (error.reason === ErrorReason.ADAPTER_UNAVAILABLE || error.metadata.reached_provider === "false") &&
      !record.outcomeUnknown
    ) {
      await applyChange(store, record.id, { adapter: "" }, "api");
      return error;
    }
    await applyChange(store, record.id, { outcomeUnknown: true }, "api");
    return new PaymeshError(
      ErrorReason.OUTCOME_UNKNOWN,
      `the provider's answer for payment ${record.id} is unknown (${error.message}); retry with the same idempotency key`,
      {
        code: error.code === GrpcCode.DEADLINE_EXCEEDED ? GrpcCode.DEADLINE_EXCEEDED : GrpcCode.UNAVAILABLE,
        metadata: { payment_id: record.id },
        cause: error,
      },
    );
  }

  return {
    async createPayment(context: RequestContext, request: CreatePaymentRequest): Promise<Payment> {
      const now = clock();
      validateCreatePayment(request, now);
      const candidates = registry.adaptersFor(methodType(request.method), request.preferredAdapter);
      const fingerprint = fingerprintOf(request);
      const amount = request.amount ?? { currency: "", minorUnits: 0n };
      const inserted = await store.insert({
        id: newId("pay"),
        caller: context.caller,
        idempotencyKey: request.idempotencyKey,
        fingerprint,
        amount: { currency: amount.currency, minorUnits: amount.minorUnits },
        method: request.method,
        merchantReference: request.merchantReference,
        description: request.description,
        metadata: { ...request.metadata },
        status: PaymentStatus.PENDING,
        adapter: "",
        providerReference: "",
        customerAction: undefined,
        failure: undefined,
        outcomeUnknown: false,
        createdAt: now,
        updatedAt: now,
        expiresAt: request.expiresAt === undefined ? undefined : timestampDate(request.expiresAt),
        version: 1,
      });
      const record = inserted.record;
      if (!inserted.inserted) {
        if (record.fingerprint !== fingerprint) {
          throw new PaymeshError(
            ErrorReason.IDEMPOTENCY_KEY_REUSED,
            "idempotency_key was already used with a different request",
            { field: "idempotency_key", metadata: { payment_id: record.id } },
          );
        }
        if (inFlight.has(record.id)) {
          throw new PaymeshError(
            ErrorReason.IDEMPOTENCY_KEY_IN_USE,
            "a request with this idempotency_key is still running; retry later",
            {
              field: "idempotency_key",
            },
          );
        }
        // PENDING means the provider never answered: asking again is safe because the adapter's
        // provider-side idempotency key is derived from the payment id.
        if (record.status !== PaymentStatus.PENDING) return toPaymentMessage(record);
      }
      return drive(record, candidates, context);
    },

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
      if (isTerminal(record.status) || inFlight.has(record.id) || record.outcomeUnknown) {
        throw new PaymeshError(
          ErrorReason.PAYMENT_NOT_CANCELABLE,
          `payment ${record.id} cannot be canceled now (${PaymentStatus[record.status]})`,
          {
            field: "payment_id",
          },
        );
      }
      if (record.adapter === "") {
        return toPaymentMessage(
          await applyChange(store, record.id, { status: PaymentStatus.CANCELED }, "api"),
        );
      }
      const handle = registry.get(record.adapter);
      if (handle === undefined)
        throw new PaymeshError(
          ErrorReason.ADAPTER_UNAVAILABLE,
          `adapter ${record.adapter} is not configured`,
        );
      const response = await handle.client.cancelPayment(
        { paymentId: record.id, providerReference: record.providerReference, reason: request.reason },
        { deadline: adapterDeadline(context), signal: context.signal },
      );
      const change: PaymentChange = { status: response.payment?.status ?? PaymentStatus.CANCELED };
      return toPaymentMessage(await applyChange(store, record.id, change, "api"));
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
      const change: PaymentChange = { status: event.status, outcomeUnknown: false };
      if (event.failure !== undefined) change.failure = event.failure;
      if (record.providerReference === "" && event.providerReference !== "")
        change.providerReference = event.providerReference;
      return applyChange(store, record.id, change, "webhook");
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

/**
 * Adapter errors that prove the provider refused the payment (nothing was or will be charged).
 * Everything else — deadlines, dropped connections, internal errors — leaves the outcome unknown.
 */
function isDefiniteRefusal(error: PaymeshError): boolean {
  return (
    error.code === GrpcCode.INVALID_ARGUMENT ||
    error.code === GrpcCode.FAILED_PRECONDITION ||
    error.code === GrpcCode.OUT_OF_RANGE ||
    error.code === GrpcCode.PERMISSION_DENIED ||
    error.code === GrpcCode.UNIMPLEMENTED
  );
}

/** SHA-256 of the request in a canonical form (metadata keys sorted), to detect key reuse. */
export function fingerprintOf(request: CreatePaymentRequest): string {
  const canonical = clone(CreatePaymentRequestSchema, request);
  canonical.metadata = Object.fromEntries(
    Object.entries(request.metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return createHash("sha256").update(toBinary(CreatePaymentRequestSchema, canonical)).digest("hex");
}
