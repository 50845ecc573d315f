import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { PaymentEventSchema, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import { currentTraceParent } from "@paymesh/telemetry/trace-context";
import { methodType, type PaymentRecord, toPaymentMessage } from "./payment-record.ts";
import type { PaymentChange } from "./payment-store.ts";

/** One outbox row: a payment's state change, ready to publish (PaymentEvent bytes). */
export interface OutboxEvent {
  /** "<payment id>/<version>": consumers deduplicate by it. */
  eventId: string;
  paymentId: string;
  version: number;
  /** "<method>.<status>" in lower case, for the payments.events topic exchange. */
  routingKey: string;
  /** A serialized payments.v1.PaymentEvent. */
  payload: Uint8Array;
  createdAt: Date;
  /**
   * The W3C traceparent of the work that wrote the event (the request or webhook that changed the
   * payment), when it was traced; the relay publishes the event in that trace.
   */
  traceParent?: string | undefined;
}

/**
 * What a provider event did: moved the payment, found it already in that status, or was ignored
 * because it would have moved the payment backwards (a late or out-of-order delivery).
 */
export type ProviderEventOutcome = "applied" | "same_status" | "ignored";

/** A provider's webhook event as a change names it: deduplicated by (adapter, eventId). */
export interface ProviderEventKey {
  adapter: string;
  eventId: string;
  /** The status the event claims; kept with the event even when it is not applied. */
  claimedStatus: PaymentStatus;
}

/** A provider event as recorded: every verified event once, applied or not. */
export interface ProviderEventRecord extends ProviderEventKey {
  paymentId: string;
  outcome: ProviderEventOutcome;
  receivedAt: Date;
}

/**
 * The outbox row for `record` as it is right after a change from `previousStatus` (UNSPECIFIED
 * for its creation). Built inside the writing transaction, so the event is exactly what committed,
 * and in the writer's trace context, which it keeps.
 */
export function outboxEventFor(record: PaymentRecord, previousStatus: PaymentStatus, at: Date): OutboxEvent {
  const eventId = `${record.id}/${record.version}`;
  const payload = toBinary(
    PaymentEventSchema,
    create(PaymentEventSchema, {
      eventId,
      payment: toPaymentMessage(record),
      previousStatus,
      version: BigInt(record.version),
      occurredAt: timestampFromDate(at),
    }),
  );
  const traceParent = currentTraceParent();
  return {
    eventId,
    paymentId: record.id,
    version: record.version,
    routingKey: routingKeyFor(record),
    payload,
    createdAt: at,
    ...(traceParent === undefined ? {} : { traceParent }),
  };
}

/** "qris.succeeded", "virtual_account.requires_action": the topic a payment's state publishes under. */
export function routingKeyFor(record: Pick<PaymentRecord, "method" | "status">): string {
  const method = PaymentMethodType[methodType(record.method)] ?? "UNSPECIFIED";
  const status = PaymentStatus[record.status] ?? "UNSPECIFIED";
  return `${method}.${status}`.toLowerCase();
}

/** What a provider event claiming `claimed` does to a payment currently at `current`. */
export function providerEventOutcome(
  current: PaymentStatus,
  claimed: PaymentStatus,
  moved: boolean,
): ProviderEventOutcome {
  if (moved) return "applied";
  return claimed === current ? "same_status" : "ignored";
}

/** What an applied change does with the payment's outbox events. */
export interface ChangeEvents {
  /** The payment's events still wait unpublished after the change. */
  held: boolean;
  /** Delete the payment's unpublished events. */
  discard: boolean;
  /** Write the change's own event (a status change). */
  write: boolean;
}

/**
 * The one rule for a change's events, both stores (docs/architecture.md §4). A change that rejects
 * the request (sets rejectedAt) writes no event and discards those not yet published: a request
 * refused as invalid was never a payment, so no subscriber may hear of it. Any other status change
 * writes its event. Held events (a new payment's) are released by a status change or by a change
 * that clears eventsHeld (an adapter's answer that leaves the payment PENDING).
 */
export function changeEvents(
  current: PaymentRecord,
  change: PaymentChange,
  next: PaymentRecord,
): ChangeEvents {
  const wasHeld = current.eventsHeld === true;
  if (current.rejectedAt === undefined && next.rejectedAt !== undefined)
    return { held: wasHeld, discard: true, write: false };
  const moved = next.status !== current.status;
  return { held: wasHeld && !moved && change.eventsHeld !== false, discard: false, write: moved };
}

/**
 * Whether an applied change left events for the relay to publish: its own status change's, or a
 * new payment's held events it released. What wakes the relay (PaymentStore.watchOutbox).
 */
export function leavesEventsReady(previous: PaymentRecord, record: PaymentRecord): boolean {
  if (record.eventsHeld === true || record.rejectedAt !== undefined) return false;
  return record.status !== previous.status || previous.eventsHeld === true;
}

/**
 * The event name under which a store's in-process emitter announces outbox events ready to relay.
 * A symbol, so no payment id (the emitter's other event names) can ever collide with it.
 */
export const OUTBOX_READY: unique symbol = Symbol("outbox ready");
