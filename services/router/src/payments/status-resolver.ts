import { create } from "@bufbuild/protobuf";
import { PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentFailureSchema, PaymentStatus } from "@paymesh/proto";
import { isTerminal, type PaymentChange, type PaymentRecord, type PaymentStore } from "@paymesh/store";
import { inSpan, linkTo } from "@paymesh/telemetry";
import { callAdapter } from "../adapters/adapter-call.ts";
import { classifyAdapterError } from "../adapters/adapter-error-class.ts";
import type { AdapterRegistry } from "../adapters/adapter-handle.ts";
import type { ResolverSettings } from "../router-config.ts";
import { applyChange } from "./apply-change.ts";
import { providerAnswerChange, toExchangeRecord, unknownProviderStatus } from "./provider-answer.ts";

/** What the resolver did with one payment, for logs and tests. */
export type ResolverEvent =
  | { kind: "resolved"; paymentId: string; status: PaymentStatus }
  | {
      kind: "retry";
      paymentId: string;
      adapter: string;
      attempts: number;
      nextCheckAt: Date;
      error: string;
      /** The provider answered a status its adapter does not know (the raw value is in `error`). */
      unknownProviderStatus: boolean;
    }
  | { kind: "review"; paymentId: string; reason: string };

/** Options for createStatusResolver. */
export interface StatusResolverOptions {
  store: PaymentStore;
  registry: AdapterRegistry;
  settings: ResolverSettings;
  /** Payments checked per pass. @default 50 */
  batchSize?: number;
  clock?: () => Date;
  onEvent?: (event: ResolverEvent) => void;
}

/**
 * Finds out what happened to payments the router could not finish: an unknown outcome (deadline
 * passed, connection lost after sending), a router that died mid-call, a webhook that never came.
 * It asks the provider through the adapter on a backoff schedule kept in the store, so the work
 * survives restarts and any router can pick it up; it never guesses. Past the horizon a payment
 * is raised for manual review.
 */
export function createStatusResolver(options: StatusResolverOptions) {
  const { store, registry, settings } = options;
  const clock = options.clock ?? (() => new Date());
  const batchSize = options.batchSize ?? 50;
  const emit = options.onEvent ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runOnce(): Promise<number> {
    const due = await store.dueForResolution(clock(), batchSize);
    for (const record of due) {
      // Each check is a trace of its own, linked to the one that created the payment: a check can
      // come hours later, from another router, and is not part of that request.
      await inSpan(
        "paymesh.resolver.check",
        {
          root: true,
          links: linkTo(record.traceParent, { "paymesh.link": "payment.created" }),
          attributes: { "paymesh.payment_id": record.id, "paymesh.adapter": record.adapter },
        },
        () => resolve(record),
      );
    }
    return due.length;
  }

  async function resolve(record: PaymentRecord): Promise<void> {
    const attempts = (record.resolution?.attempts ?? 0) + 1;
    if (record.adapter === "") {
      // Never handed to a provider, and the caller did not retry: nothing was or will be charged.
      // Only if nothing moved it meanwhile (a caller's retry may be driving it right now).
      return finishIfUnchanged(record, {
        status: PaymentStatus.FAILED,
        failure: create(PaymentFailureSchema, {
          reason: ErrorReason.ADAPTER_UNAVAILABLE,
          message: "no adapter could take the payment; nothing was charged",
        }),
      });
    }
    const handle = registry.get(record.adapter);
    if (handle === undefined) return raise(record, `adapter ${record.adapter} is no longer configured`);
    try {
      const answer = await callAdapter(
        handle,
        "read",
        (signal) =>
          handle.client.getPaymentStatus(
            { paymentId: record.id, providerReference: record.providerReference },
            { deadline: new Date(clock().getTime() + 10_000), signal },
          ),
        { deadline: new Date(clock().getTime() + 30_000) },
      );
      await store.recordExchanges(record.id, handle.name, answer.exchanges.map(toExchangeRecord));
      const provider = answer.payment;
      if (provider === undefined || provider.status === PaymentStatus.UNSPECIFIED) {
        const unknown = provider === undefined ? undefined : unknownProviderStatus(provider);
        return retry(record, attempts, unknown ?? "the provider gave no status", unknown !== undefined);
      }
      if (isTerminal(provider.status)) return finish(record, providerAnswerChange(record, provider));
      // The provider has it and it is moving: keep checking, at the slow end of the schedule.
      await applyChange(
        store,
        record,
        providerAnswerChange(record, provider, {
          ...nextCheck(attempts),
          lastAnswer: `the provider says ${PaymentStatus[provider.status] ?? provider.status}`,
        }),
        "resolver",
      );
      emit({ kind: "resolved", paymentId: record.id, status: provider.status });
    } catch (error) {
      const failure = PaymeshError.from(error);
      // "Not found" proves nothing while the original request may still be processed upstream (a
      // slow bank creates the QR seconds later). Only once the payment is older than any request
      // could still take, and after more than one question, is absence an answer.
      const settled = clock().getTime() - record.createdAt.getTime() >= settings.notFoundConclusiveAfterMs;
      if (
        classifyAdapterError(failure).notFound &&
        record.status === PaymentStatus.PENDING &&
        attempts >= 2 &&
        settled
      ) {
        return finishIfUnchanged(record, {
          status: PaymentStatus.FAILED,
          failure: create(PaymentFailureSchema, {
            reason: ErrorReason.PROVIDER_UNAVAILABLE,
            message: "the provider has no record of this payment; it was never created",
            providerCode: failure.metadata.provider_code ?? "",
          }),
        });
      }
      return retry(record, attempts, failure.message);
    }
  }

  async function finish(record: PaymentRecord, change: PaymentChange): Promise<void> {
    const updated = await applyChange(
      store,
      record,
      { ...change, outcomeUnknown: false, resolution: undefined },
      "resolver",
    );
    emit({ kind: "resolved", paymentId: record.id, status: updated.status });
  }

  /**
   * For conclusions drawn from absence: applied only to the version that was read. If anything
   * changed the payment meanwhile (a webhook, a caller's retry), the next pass looks again.
   */
  async function finishIfUnchanged(record: PaymentRecord, change: PaymentChange): Promise<void> {
    const result = await store.update(
      record.id,
      record.version,
      { ...change, outcomeUnknown: false, resolution: undefined },
      "resolver",
    );
    if (result.applied) emit({ kind: "resolved", paymentId: record.id, status: result.record.status });
  }

  async function retry(
    record: PaymentRecord,
    attempts: number,
    why: string,
    unknownProviderStatus = false,
  ): Promise<void> {
    const waiting = record.status === PaymentStatus.PENDING || record.outcomeUnknown;
    if (waiting && clock().getTime() - record.createdAt.getTime() > settings.horizonMs) {
      return raise(record, `no answer from ${record.adapter} within ${settings.horizonMs} ms: ${why}`);
    }
    // Kept with the schedule, so an operator sees why the resolver is still asking (`payments stuck`).
    const resolution = { ...nextCheck(attempts), lastAnswer: why };
    await applyChange(store, record, { resolution }, "resolver");
    emit({
      kind: "retry",
      paymentId: record.id,
      adapter: record.adapter,
      attempts,
      nextCheckAt: resolution.nextCheckAt,
      error: why,
      unknownProviderStatus,
    });
  }

  async function raise(record: PaymentRecord, reason: string): Promise<void> {
    await applyChange(
      store,
      record,
      { resolution: undefined, review: { reason, since: clock() } },
      "resolver",
    );
    emit({ kind: "review", paymentId: record.id, reason });
  }

  function nextCheck(attempts: number): { nextCheckAt: Date; attempts: number } {
    const delay = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.min(attempts, 30));
    return { nextCheckAt: new Date(clock().getTime() + delay), attempts };
  }

  return {
    /** One pass over the due work; returns how many payments it looked at. */
    runOnce,
    /** Checks for due work every intervalMs until stopped. */
    start(): void {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        if (running !== undefined) return;
        running = runOnce()
          .catch(() => 0) // a store hiccup: the next tick tries again
          .finally(() => {
            running = undefined;
          });
      }, settings.intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** The status resolver. */
export type StatusResolver = ReturnType<typeof createStatusResolver>;
