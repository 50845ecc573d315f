import { fromBinary } from "@bufbuild/protobuf";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, type Payment, PaymentEventSchema, PaymentStatus } from "@paymesh/proto";
import { isTerminal, type PaymentStore, toPaymentMessage } from "@paymesh/store";
import { findPayment } from "./payment-queries.ts";
import type { RequestContext } from "./request-context.ts";

/** One step of a watch: the payment as it now is, and the status it had before. */
export interface PaymentWatchStep {
  payment: Payment;
  previousStatus: PaymentStatus;
}

/** Options for createPaymentWatcher. */
export interface WatchPaymentOptions {
  store: PaymentStore;
  /**
   * How often a watch looks for changes made by other routers (changes made through this router
   * wake it at once). @default 250
   */
  pollMs?: number;
  clock?: () => Date;
}

/**
 * WatchPayment: the payment's current state, then each status change until a terminal one. Changes
 * are read from the store's event outbox, so a change made by any router shows, in order and without
 * gaps; one made through this router wakes the watcher at once.
 */
export function createPaymentWatcher(options: WatchPaymentOptions) {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const pollMs = options.pollMs ?? 250;

  return async function* watchPayment(
    context: RequestContext,
    paymentId: string,
  ): AsyncGenerator<PaymentWatchStep> {
    let wake: (() => void) | undefined;
    const unsubscribe = store.subscribe(paymentId, () => wake?.());
    const aborted = new Promise<void>((resolve) =>
      context.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    try {
      const current = await findPayment(store, context, paymentId);
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
            timer = setTimeout(resolve, pollMs);
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
  };
}
