import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import {
  type adapterv1,
  ErrorReason,
  type Payment,
  PaymentFailureSchema,
  PaymentStatus,
} from "@paymesh/proto";
import { type ExchangeRecord, type PaymentRecord, type PaymentStore, toPaymentMessage } from "@paymesh/store";
import type { AdapterHandle, AdapterRegistry } from "./adapter-registry.ts";
import { applyChange } from "./apply-change.ts";
import type { RequestContext } from "./request-context.ts";

/** Options for createPaymentDriver. */
export interface PaymentDriverOptions {
  store: PaymentStore;
  registry: AdapterRegistry;
  /** Upper bound on one adapter call. @default 15000 */
  adapterTimeoutMs?: number;
  clock?: () => Date;
}

/**
 * Sends a recorded payment to its adapter and records what came back: the state transition and
 * the raw provider exchanges. The payment row exists before this runs (DESIGN.md §4.3).
 */
export function createPaymentDriver(options: PaymentDriverOptions) {
  const { store, registry } = options;
  const clock = options.clock ?? (() => new Date());
  const adapterTimeoutMs = options.adapterTimeoutMs ?? 15_000;

  /** The caller's deadline, capped by the router's own bound; propagated to the adapter. */
  const adapterDeadline = (context: RequestContext): Date => {
    const callerDeadline = context.deadline instanceof Date ? context.deadline.getTime() : context.deadline;
    return new Date(Math.min(callerDeadline, clock().getTime() + adapterTimeoutMs));
  };

  /**
   * Sends the payment to an adapter. `fresh` means this router just recorded it with its chosen
   * adapter and nothing has been sent yet; otherwise an earlier attempt may have reached the
   * provider of the adapter on record.
   */
  async function drive(
    record: PaymentRecord,
    candidates: AdapterHandle[],
    context: RequestContext,
    fresh: boolean,
  ): Promise<Payment> {
    // Once an adapter has been asked, only that adapter may be asked again: the first call may
    // have reached its provider, and another provider would charge a second time.
    const previouslyTried = !fresh && record.adapter !== "";
    const handle = record.adapter !== "" ? registry.get(record.adapter) : candidates[0];
    if (handle === undefined) {
      throw new PaymeshError(ErrorReason.ADAPTER_UNAVAILABLE, `adapter ${record.adapter} is not configured`);
    }
    let current = record;
    if (record.adapter === "") current = await applyChange(store, record, { adapter: handle.name }, "api");
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
      throw await recordAdapterFailure(current, PaymeshError.from(error), previouslyTried);
    }
    await store.recordExchanges(record.id, handle.name, response.exchanges.map(toExchangeRecord));
    const provider = response.payment;
    const updated = await applyChange(
      store,
      current,
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
  }

  /**
   * Records what an adapter error means for the payment and returns the error for the caller.
   * A definite refusal ends the payment FAILED; a call that provably never reached the provider
   * leaves it PENDING for a retry; anything else is an unknown outcome: flagged, never guessed.
   */
  async function recordAdapterFailure(
    record: PaymentRecord,
    error: PaymeshError,
    previouslyTried: boolean,
  ): Promise<PaymeshError> {
    if (isDefiniteRefusal(error)) {
      const failure = create(PaymentFailureSchema, {
        reason: error.reason,
        message: error.message,
        providerCode: error.metadata.provider_code ?? "",
      });
      await applyChange(
        store,
        record,
        { status: PaymentStatus.FAILED, failure, outcomeUnknown: false },
        "api",
      );
      return error;
    }
    const neverReached =
      error.reason === ErrorReason.ADAPTER_UNAVAILABLE || error.metadata.reached_provider === "false";
    if (neverReached && !previouslyTried) {
      await applyChange(store, record, { adapter: "" }, "api");
      return error;
    }
    await applyChange(store, record, { outcomeUnknown: true }, "api");
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

  return { drive, adapterDeadline };
}

/** The payment driver. */
export type PaymentDriver = ReturnType<typeof createPaymentDriver>;

/**
 * Adapter errors that prove the provider refused the payment (nothing was or will be charged).
 * Everything else — deadlines, dropped connections, internal errors — leaves the outcome unknown.
 */
export function isDefiniteRefusal(error: PaymeshError): boolean {
  return (
    error.code === GrpcCode.INVALID_ARGUMENT ||
    error.code === GrpcCode.FAILED_PRECONDITION ||
    error.code === GrpcCode.OUT_OF_RANGE ||
    error.code === GrpcCode.PERMISSION_DENIED ||
    error.code === GrpcCode.UNIMPLEMENTED
  );
}

/** The store's audit record of one provider exchange. */
export function toExchangeRecord(exchange: adapterv1.ProviderExchange): ExchangeRecord {
  return {
    operation: exchange.operation,
    httpMethod: exchange.httpMethod,
    url: exchange.url,
    requestBody: exchange.requestBody,
    responseStatus: exchange.responseStatus,
    responseBody: exchange.responseBody,
    startedAt: exchange.startedAt === undefined ? new Date(0) : timestampDate(exchange.startedAt),
    durationMicros: exchange.durationMicros,
    transportError: exchange.transportError,
  };
}
