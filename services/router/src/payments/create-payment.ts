import { createHash } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { PaymeshError } from "@paymesh/adapter-kit";
import {
  type IdempotencyScope,
  type IdempotencyStore,
  isIdempotencyUnavailableError,
} from "@paymesh/idempotency";
import {
  type CreatePaymentRequest,
  CreatePaymentRequestSchema,
  CreatePaymentResponseSchema,
  ErrorReason,
  PaymentStatus,
} from "@paymesh/proto";
import {
  methodType,
  type PaymentRecord,
  type PaymentStore,
  type PendingAnswer,
  toPaymentMessage,
} from "@paymesh/store";
import { currentTraceParent } from "@paymesh/telemetry";
import type { AdapterDescriptions } from "../adapters/adapter-descriptions.ts";
import { classifyAdapterError } from "../adapters/adapter-error-class.ts";
import type { AdapterRegistry } from "../adapters/adapter-handle.ts";
import type { IdempotencyOutcome } from "../router-metrics.ts";
import type { PaymentDriver } from "./drive-payment.ts";
import type { RequestContext } from "./request-context.ts";
import {
  decodeStoredAnswer,
  encodeStoredAnswer,
  errorAnswer,
  replayAnswer,
  type StoredAnswer,
} from "./stored-answer.ts";

/** Options for createPaymentCreator. */
export interface CreatePaymentOptions {
  store: PaymentStore;
  idempotency: IdempotencyStore;
  registry: AdapterRegistry;
  /** What each adapter declares it takes; a payment none takes is refused before anything is written. */
  descriptions: AdapterDescriptions;
  driver: PaymentDriver;
  newId: (prefix: string) => string;
  /** How long a claim on a key holds before another router may take over. @default 30000 */
  leaseMs?: number;
  /** When the resolver should look at a new payment whose creation never finished. */
  orphanCheckAfterMs: number;
  clock?: () => Date;
  /** Told what each request's idempotency check found, for metrics. @default nothing */
  onIdempotencyOutcome?: (outcome: IdempotencyOutcome) => void;
}

/**
 * CreatePayment with Stripe's idempotency semantics, in depth (docs/architecture.md §5): Redis claims the
 * key in one round trip (fast filter, fails closed); the store's unique (caller, key) record is the
 * authority; the adapter's provider-side key, derived from the payment id, is the last guard.
 * Returns the serialized CreatePaymentResponse so a replay sends the same bytes. The request comes
 * checked (PaymentService validates it before anything is claimed or written).
 */
export function createPaymentCreator(options: CreatePaymentOptions) {
  const { store, idempotency, registry, driver, newId } = options;
  const clock = options.clock ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 30_000;
  const outcome = options.onIdempotencyOutcome ?? (() => {});

  async function createPayment(context: RequestContext, request: CreatePaymentRequest): Promise<Uint8Array> {
    const now = clock();
    const method = methodType(request.method);
    const amount = request.amount ?? { currency: "", minorUnits: 0n };
    const candidates = await options.descriptions.admit(
      registry.adaptersFor(method, request.preferredAdapter),
      method,
      amount,
    );
    const fingerprint = fingerprintOf(request);
    const scope: IdempotencyScope = { caller: context.caller, key: request.idempotencyKey };

    const claim = await failClosed(() => idempotency.claim(scope, fingerprint, leaseMs));
    if (claim.kind !== "claimed") outcome(CLAIM_OUTCOMES[claim.kind]);
    if (claim.kind === "completed") return replayAnswer(decodeStoredAnswer(claim.response));
    if (claim.kind === "mismatch") throw keyReused(undefined);
    if (claim.kind === "in_progress") throw keyInUse();

    let answer: StoredAnswer;
    try {
      answer = await answerClaimed(context, request, fingerprint, now, () => candidates);
    } catch (error) {
      // No final answer (unknown outcome, provider unreachable, store down): free the key so the
      // caller's retry runs again, safely, against the same payment.
      await idempotency.release(scope, claim.token).catch(() => undefined);
      throw error;
    }
    // The store already holds the answer; Redis is only the fast path, so a failure here is not
    // the caller's problem.
    await idempotency.complete(scope, claim.token, encodeStoredAnswer(answer)).catch(() => undefined);
    return replayAnswer(answer);
  }

  async function answerClaimed(
    context: RequestContext,
    request: CreatePaymentRequest,
    fingerprint: string,
    now: Date,
    candidates: () => ReturnType<AdapterRegistry["adaptersFor"]>,
  ): Promise<StoredAnswer> {
    const chosen = candidates()[0];
    const inserted = await store.insert(
      newRecord(context.caller, request, fingerprint, now, chosen?.name ?? ""),
    );
    const record = inserted.record;
    if (!inserted.inserted) {
      // Redis may have forgotten a finished key (failover, flush): the store remembers.
      const saved = await store.findResponse(context.caller, request.idempotencyKey);
      if (saved !== undefined) {
        outcome(saved.fingerprint === fingerprint ? "replay" : "reused");
        if (saved.fingerprint !== fingerprint) throw keyReused(saved.paymentId);
        return saved;
      }
      if (record.fingerprint !== fingerprint) {
        outcome("reused");
        throw keyReused(record.id);
      }
    }
    outcome("new");

    let answer: StoredAnswer;
    let answered = false;
    if (!inserted.inserted && record.status !== PaymentStatus.PENDING) {
      // An earlier attempt finished but its router stopped before saving the answer.
      answer = successAnswer(toPaymentMessage(record));
    } else {
      // New, or PENDING from an attempt that never got an answer: (re)driving is safe because the
      // provider-side idempotency key is derived from the payment id. The answer is saved with the
      // adapter's result when nothing else changed the payment meanwhile.
      let built: StoredAnswer | undefined;
      const pending: PendingAnswer = {
        caller: context.caller,
        idempotencyKey: request.idempotencyKey,
        build(changed) {
          built = successAnswer(toPaymentMessage(changed));
          return { fingerprint, ...built };
        },
      };
      try {
        const sent = inserted.inserted ? request.method : undefined;
        const driven = await driver.drive(record, candidates(), context, inserted.inserted, pending, sent);
        answered = driven.answered && built !== undefined;
        answer = answered && built !== undefined ? built : successAnswer(toPaymentMessage(driven.record));
      } catch (error) {
        const failure = PaymeshError.from(error);
        const errorClass = classifyAdapterError(failure);
        if (!errorClass.refused) throw failure;
        // A request refused as invalid made no payment: its answer names none (the row is hidden).
        // A decline made a FAILED payment: its answer names it, for the caller to look up.
        answer = errorClass.invalidRequest
          ? errorAnswer("", failure)
          : errorAnswer(
              record.id,
              new PaymeshError(failure.reason, failure.message, {
                code: failure.code,
                metadata: { ...failure.metadata, payment_id: record.id },
              }),
            );
      }
    }
    if (!answered)
      await store.saveResponse(context.caller, request.idempotencyKey, { fingerprint, ...answer });
    return answer;
  }

  function newRecord(
    caller: string,
    request: CreatePaymentRequest,
    fingerprint: string,
    now: Date,
    adapter: string,
  ): PaymentRecord {
    const amount = request.amount ?? { currency: "", minorUnits: 0n };
    const traceParent = currentTraceParent();
    return {
      id: newId("pay"),
      caller,
      idempotencyKey: request.idempotencyKey,
      fingerprint,
      amount: { currency: amount.currency, minorUnits: amount.minorUnits },
      method: request.method,
      merchantReference: request.merchantReference,
      description: request.description,
      metadata: { ...request.metadata },
      status: PaymentStatus.PENDING,
      // Recorded before anything is sent, so a router that dies mid-call leaves behind which
      // provider may have the payment.
      adapter,
      providerReference: "",
      customerAction: undefined,
      failure: undefined,
      outcomeUnknown: false,
      // Written with the payment, so a router dying mid-call leaves work the resolver will find.
      resolution: { nextCheckAt: new Date(now.getTime() + options.orphanCheckAfterMs), attempts: 0 },
      review: undefined,
      // Nobody hears of the payment until an adapter has answered or the resolver has decided: an
      // adapter may yet refuse the request as invalid, and a refused request is no payment.
      eventsHeld: true,
      createdAt: now,
      updatedAt: now,
      expiresAt: request.expiresAt === undefined ? undefined : timestampDate(request.expiresAt),
      version: 1,
      // The CreatePayment trace: webhooks and resolver checks for this payment link to it.
      ...(traceParent === undefined ? {} : { traceParent }),
    };
  }

  return createPayment;
}

/** What a claim that found the key taken means for the outcome metric. */
const CLAIM_OUTCOMES = { completed: "replay", in_progress: "in_use", mismatch: "reused" } as const;

function successAnswer(payment: ReturnType<typeof toPaymentMessage>): StoredAnswer {
  return {
    paymentId: payment.id,
    grpcCode: 0,
    body: toBinary(CreatePaymentResponseSchema, create(CreatePaymentResponseSchema, { payment })),
  };
}

/** Redis unreachable means UNAVAILABLE at once: never skip the check, never queue the request. */
async function failClosed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isIdempotencyUnavailableError(error)) {
      throw new PaymeshError(
        ErrorReason.STORE_UNAVAILABLE,
        "the idempotency store is unavailable; retry later",
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

function keyReused(paymentId: string | undefined): PaymeshError {
  return new PaymeshError(
    ErrorReason.IDEMPOTENCY_KEY_REUSED,
    "idempotency_key was already used with a different request",
    {
      field: "idempotency_key",
      ...(paymentId === undefined ? {} : { metadata: { payment_id: paymentId } }),
    },
  );
}

function keyInUse(): PaymeshError {
  return new PaymeshError(
    ErrorReason.IDEMPOTENCY_KEY_IN_USE,
    "a request with this idempotency_key is still running; retry later",
    {
      field: "idempotency_key",
    },
  );
}

/** SHA-256 of the request in a canonical form (metadata keys sorted), to tell a retry from misuse. */
export function fingerprintOf(request: CreatePaymentRequest): string {
  // A shallow copy is enough: only the metadata map is replaced, and toBinary reads, never writes.
  const canonical: CreatePaymentRequest = {
    ...request,
    metadata: Object.fromEntries(
      Object.entries(request.metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  };
  return createHash("sha256").update(toBinary(CreatePaymentRequestSchema, canonical)).digest("hex");
}
