import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import type { PaymentMethod, PaymentRecord, PaymentStore, PendingAnswer } from "@paymesh/store";
import { callAdapter } from "../adapters/adapter-call.ts";
import { classifyAdapterError } from "../adapters/adapter-error-class.ts";
import type { AdapterHandle, AdapterRegistry } from "../adapters/adapter-handle.ts";
import type { ResolverSettings } from "../router-config.ts";
import { applyChange, applyStep } from "./apply-change.ts";
import { type ProviderAnswer, providerAnswerChange, toExchangeRecord } from "./provider-answer.ts";
import type { RequestContext } from "./request-context.ts";

/** What a CreatePayment answer without a payment means: the provider has it, nothing more is known. */
const ACCEPTED: ProviderAnswer = { status: PaymentStatus.PENDING, providerReference: "", failure: undefined };

/** Options for createPaymentDriver. */
export interface PaymentDriverOptions {
  store: PaymentStore;
  registry: AdapterRegistry;
  /** Upper bound on one adapter call. @default 15000 */
  adapterTimeoutMs?: number;
  /** When the resolver should look at payments left unfinished. */
  resolver: Pick<ResolverSettings, "initialDelayMs" | "pollAcceptedAfterMs">;
  clock?: () => Date;
}

/**
 * Sends a recorded payment to its adapter and records what came back: the state transition and
 * the raw provider exchanges. The payment row exists before this runs (docs/architecture.md §4.3).
 */
export function createPaymentDriver(options: PaymentDriverOptions) {
  const { store, registry, resolver } = options;
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
   * provider of the adapter on record. Fails over to the next adapter for the method only when a
   * call provably never reached a provider (breaker open, bulkhead full, no connection).
   * `answer` is saved with the adapter's result when nothing else changed the payment meanwhile;
   * `sent` is the method as the caller sent it, for a fresh payment.
   */
  async function drive(
    record: PaymentRecord,
    candidates: AdapterHandle[],
    context: RequestContext,
    fresh: boolean,
    answer?: PendingAnswer,
    sent?: PaymentMethod,
  ): Promise<DriveResult> {
    // Once an adapter has been asked, only that adapter may be asked again: the first call may
    // have reached its provider, and another provider would charge a second time.
    const previouslyTried = !fresh && record.adapter !== "";
    const first = record.adapter === "" ? undefined : registry.get(record.adapter);
    if (record.adapter !== "" && first === undefined) {
      throw new PaymeshError(ErrorReason.ADAPTER_UNAVAILABLE, `adapter ${record.adapter} is not configured`);
    }
    const order = previouslyTried && first !== undefined ? [first] : ordered(first, candidates);
    // The first send uses the method as the caller sent it, in hand; a re-drive opens the copy kept
    // sealed while the payment is PENDING (the method as recorded), for this call.
    const request = adapterRequest(record, sent ?? store.revealMethod(record));
    const deadline = adapterDeadline(context);
    let current = record;
    if (!fresh) {
      // A re-drive claims the payment first with a write against the version it read, so the
      // resolver cannot conclude "never created" while this call is on its way to the provider
      // (its own conditional write then finds a newer version). If the payment has moved on, the
      // caller gets its state and nothing is sent.
      const claim = await claimForRedrive(record);
      if (claim.status !== PaymentStatus.PENDING) return { record: claim, answered: false };
      current = claim;
    }
    let lastError: PaymeshError | undefined;
    for (const handle of order) {
      if (current.adapter !== handle.name)
        current = await applyChange(store, current, { adapter: handle.name }, "api");
      let response: adapterv1.CreatePaymentResponse;
      try {
        response = await callAdapter(
          handle,
          "create",
          (signal) => handle.client.createPayment(request, { deadline, signal }),
          { deadline, signal: context.signal },
        );
      } catch (error) {
        const failure = PaymeshError.from(error);
        if (!previouslyTried && classifyAdapterError(failure).neverReachedProvider) {
          lastError = failure;
          continue;
        }
        throw await recordAdapterFailure(current, failure, previouslyTried);
      }
      // Accepted but not final: check on it later in case its webhook never arrives.
      const change = providerAnswerChange(current, response.payment ?? ACCEPTED, {
        nextCheckAt: later(resolver.pollAcceptedAfterMs),
        attempts: 0,
      });
      // The exchanges, the change with its journal row and event, and the caller's answer: one write.
      return applyStep(store, current, change, "api", {
        exchanges: { adapter: handle.name, records: response.exchanges.map(toExchangeRecord) },
        ...(answer === undefined ? {} : { answer }),
      });
    }
    // Every adapter for the method declined the call before sending it: nothing reached a provider.
    throw await recordAdapterFailure(
      current,
      lastError ?? new PaymeshError(ErrorReason.ADAPTER_UNAVAILABLE, "no adapter could take the payment"),
      false,
    );
  }

  const later = (ms: number): Date => new Date(clock().getTime() + ms);
  // When the resolver should look at a payment whose creating call never reported back.
  const orphanCheckAfterMs = adapterTimeoutMs + 30_000;

  /** The claimed record, or the payment as it now is when it is no longer PENDING. */
  async function claimForRedrive(record: PaymentRecord): Promise<PaymentRecord> {
    let current = record;
    for (let attempt = 0; attempt < 10; attempt++) {
      if (current.status !== PaymentStatus.PENDING) return current;
      const result = await store.update(
        current.id,
        current.version,
        {
          resolution: { nextCheckAt: later(orphanCheckAfterMs), attempts: current.resolution?.attempts ?? 0 },
        },
        "api",
      );
      if (result.applied) return result.record;
      current = result.record;
    }
    throw new PaymeshError(
      ErrorReason.INTERNAL,
      `payment ${record.id} is changing too fast to retry; retry later`,
    );
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
    const errorClass = classifyAdapterError(error);
    if (errorClass.refused) {
      const failure = create(PaymentFailureSchema, {
        reason: error.reason,
        message: error.message,
        providerCode: error.metadata.provider_code ?? "",
      });
      // An invalid request proves nothing was created upstream: no payment ever existed, so the row
      // is ended and hidden (rejectedAt) in one conditional write, kept only for the audit trail.
      // Any other refusal (a decline) is a payment that failed, which its caller can see.
      const rejected = errorClass.invalidRequest ? { rejectedAt: clock() } : {};
      await applyChange(
        store,
        record,
        { status: PaymentStatus.FAILED, failure, outcomeUnknown: false, resolution: undefined, ...rejected },
        "api",
      );
      return error;
    }
    if (errorClass.neverReachedProvider && !previouslyTried) {
      // Left PENDING for the caller's retry; if none comes, the resolver ends it FAILED later.
      await applyChange(
        store,
        record,
        { adapter: "", resolution: { nextCheckAt: later(resolver.pollAcceptedAfterMs), attempts: 0 } },
        "api",
      );
      return error;
    }
    await applyChange(
      store,
      record,
      {
        outcomeUnknown: true,
        resolution: { nextCheckAt: later(resolver.initialDelayMs), attempts: 0, lastAnswer: error.message },
      },
      "api",
    );
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

function ordered(first: AdapterHandle | undefined, candidates: AdapterHandle[]): AdapterHandle[] {
  return first === undefined
    ? candidates
    : [first, ...candidates.filter((handle) => handle.name !== first.name)];
}

/** The adapter's CreatePayment request for a recorded payment and its method in full. */
function adapterRequest(
  record: PaymentRecord,
  method: PaymentMethod,
): MessageInitShape<typeof adapterv1.CreatePaymentRequestSchema> {
  return {
    paymentId: record.id,
    amount: record.amount,
    method,
    merchantReference: record.merchantReference,
    description: record.description,
    metadata: record.metadata,
    ...(record.expiresAt === undefined
      ? {}
      : { expiresAt: { seconds: BigInt(Math.floor(record.expiresAt.getTime() / 1000)) } }),
  };
}

/**
 * What drive() left: the payment as it stands, and whether the caller's answer was saved with it
 * (the common case), so the caller need not save it again.
 */
export interface DriveResult {
  record: PaymentRecord;
  answered: boolean;
}

/** The payment driver. */
export type PaymentDriver = ReturnType<typeof createPaymentDriver>;
