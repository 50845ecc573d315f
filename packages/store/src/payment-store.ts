import type { PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import type { OutboxEvent, ProviderEventKey, ProviderEventRecord } from "./payment-events.ts";
import type { PaymentMethod, PaymentRecord, TransitionCause } from "./payment-record.ts";
import type { ReviewResolution } from "./review-trail.ts";

/** The fields a state change may set besides the status. */
export type PaymentChange = Partial<
  Pick<
    PaymentRecord,
    | "status"
    | "adapter"
    | "providerReference"
    | "customerAction"
    | "failure"
    | "outcomeUnknown"
    | "expiresAt"
    | "resolution"
    | "review"
    | "rejectedAt"
    | "eventsHeld"
  >
>;

/** Filters for PaymentStore.list. */
export interface PaymentFilter {
  statuses: readonly PaymentStatus[];
  methods: readonly PaymentMethodType[];
  createdAfter?: Date;
  createdBefore?: Date;
  /** Only payments with an unknown outcome or raised for review. */
  unresolvedOnly?: boolean;
}

/** One page of a list; `after` is an opaque cursor for the next page. */
export interface PaymentPage {
  payments: PaymentRecord[];
  after: string | undefined;
}

/**
 * What PaymentStore.update writes together with the change, in the same transaction, and what the
 * caller already knows. With `current` the durable stores write everything in one statement: one
 * database round trip for a payment's whole step (docs/architecture.md §4).
 */
export interface UpdateOptions {
  /**
   * The payment at expectedVersion exactly as this store returned it, which saves reading it
   * again. Only the columns the change names are written, so a copy that is otherwise old cannot
   * undo another writer's work.
   */
  current?: PaymentRecord;
  /**
   * Provider exchanges (already masked) to append to the audit record. They are recorded whether
   * or not the change applies: they happened either way.
   */
  exchanges?: { adapter: string; records: readonly ExchangeRecord[] };
  /**
   * The final CreatePayment answer for (caller, idempotencyKey), built from the record as changed
   * and saved, as saveResponse does, only when the change applies.
   */
  answer?: PendingAnswer;
  /**
   * An operator's decision about a payment raised for review, appended to the review trail
   * (payment_review_resolutions) in the same statement as the transition it explains: the payment
   * is settled with its trail entry or not at all. Only the durable stores keep a trail; the
   * in-memory store refuses a change that carries one.
   */
  review?: ReviewNote;
}

/** What a review decision records besides the transition itself (ReviewResolution). */
export interface ReviewNote {
  /** Why the resolver raised it (PaymentRecord.review.reason). */
  reviewReason: string;
  evidence: string;
  note: string;
  /** The operator, as their token names them. */
  actor: string;
}

/** A CreatePayment answer that depends on the payment's state after a change. */
export interface PendingAnswer {
  caller: string;
  idempotencyKey: string;
  build(record: PaymentRecord): StoredResponse;
}

/** Result of PaymentStore.insert: the new record, or the one already holding (caller, key). */
export type InsertResult =
  | { inserted: true; record: PaymentRecord }
  | { inserted: false; record: PaymentRecord };

/**
 * A change that was applied, or why it was not: another writer got there first ("stale"), the
 * status would move backwards, or the provider event it comes from was already recorded.
 */
export type UpdateResult =
  | {
      applied: true;
      record: PaymentRecord;
      previous: PaymentRecord;
      /** The review trail entry written with the change (UpdateOptions.review). */
      review?: ReviewResolution;
    }
  | { applied: false; record: PaymentRecord; why: "stale" | "backwards" | "duplicate" };

/** What one outbox relay pass did. */
export interface RelayResult {
  /** Events the publisher confirmed, now marked published. */
  published: number;
  /** Events whose publish failed; they stay in the outbox for the next pass. */
  failed: number;
  /** The first publish failure, for the log. */
  error?: unknown;
  /** Another relay (another router on the same database) was mid-pass: this one did nothing. */
  busy?: boolean;
}

/**
 * Where payments live. The router holds this interface only; the in-memory store serves the
 * walking skeleton and tests, and the durable stores implement the same contract.
 */
export interface PaymentStore {
  /**
   * Inserts a new payment unless (caller, idempotencyKey) is taken: that constraint is the authority.
   * `record.method` is the method as the caller sent it; the store keeps it masked, and sealed while
   * the payment is PENDING (PaymentRecord.sealedMethod), and returns the record as it stored it.
   */
  insert(record: PaymentRecord): Promise<InsertResult>;
  /**
   * The method of a record read from this store as its caller sent it, for a provider call: opened
   * with the store's keys. Throws a SealedValueError (isSealedValueError) naming the payment when it is
   * no longer kept (the payment left PENDING) or the configured keys do not open it.
   */
  revealMethod(record: PaymentRecord): PaymentMethod;
  /** A payment by id, scoped to its caller: another caller's payment, or a rejected one, is undefined. */
  get(caller: string, id: string): Promise<PaymentRecord | undefined>;
  /** A payment by id regardless of caller, for webhooks and the resolver. */
  getById(id: string): Promise<PaymentRecord | undefined>;
  findByProviderReference(adapter: string, providerReference: string): Promise<PaymentRecord | undefined>;
  /**
   * Applies a change if the record is still at `expectedVersion`. A status change must move the
   * payment forward (payment-state.ts); fields can change without a status change. A status
   * change also writes its outbox event in the same transaction, and the events' hold follows
   * changeEvents (payment-events.ts). Leaving PENDING erases the sealed method.
   *
   * Given the provider event the change comes from, the event is recorded in the same
   * transaction, and a change whose event was already recorded is refused as "duplicate" (the
   * payment's row lock serializes concurrent copies of one event).
   */
  update(
    id: string,
    expectedVersion: number,
    change: PaymentChange,
    cause: TransitionCause,
    event?: ProviderEventKey,
    options?: UpdateOptions,
  ): Promise<UpdateResult>;
  /** The caller's payments, newest first; rejected requests (PaymentRecord.rejectedAt) are not payments. */
  list(
    caller: string,
    filter: PaymentFilter,
    pageSize: number,
    after: string | undefined,
  ): Promise<PaymentPage>;
  /**
   * Payments of every caller whose resolution check is due (nextCheckAt <= now), not terminal and
   * not under review, oldest check first: the status resolver's queue.
   */
  dueForResolution(now: Date, limit: number): Promise<PaymentRecord[]>;
  /**
   * Every caller's payments still waiting on something, newest first: a resolver check is scheduled
   * and the payment is not terminal, or it was raised for review. What `payments stuck` shows.
   */
  listUnresolved(limit: number): Promise<PaymentRecord[]>;
  /**
   * Calls `listener` after every change of the payment applied through this store instance;
   * returns an unsubscribe function.
   */
  subscribe(id: string, listener: (record: PaymentRecord, previous: PaymentRecord) => void): () => void;
  /**
   * Calls `listener` after a write through this store instance leaves outbox events ready to relay
   * (a status change's event, or a new payment's events released); returns an unsubscribe function.
   * What wakes the outbox relay: it never polls for work a write of its own has just made.
   */
  watchOutbox(listener: () => void): () => void;
  /** Appends raw provider exchanges (already masked by the adapter) to the audit record. */
  recordExchanges(paymentId: string, adapter: string, exchanges: readonly ExchangeRecord[]): Promise<void>;
  /** The payment's state changes, oldest first. */
  journal(paymentId: string): Promise<JournalEntry[]>;
  /** The provider events recorded for the payment, oldest first, whether applied or not. */
  providerEvents(paymentId: string): Promise<ProviderEventRecord[]>;
  /**
   * One relay pass over the outbox: up to `limit` unpublished events of payments whose events are
   * not held (PaymentRecord.eventsHeld), oldest first, each handed to
   * `publish` (all at once, in order); those whose publish resolved are marked published. Only one
   * pass runs at a time per database, so a payment's events leave in the order they were written.
   */
  relayOutbox(limit: number, publish: (event: OutboxEvent) => Promise<void>): Promise<RelayResult>;
  /** The payment's outbox events with a version above `afterVersion`, oldest first. */
  paymentEvents(paymentId: string, afterVersion: number): Promise<OutboxEvent[]>;
  /** Deletes published outbox events created before `before`; returns how many. */
  purgeOutbox(before: Date): Promise<number>;
  /** The payment's provider exchanges, oldest first. */
  exchanges(paymentId: string): Promise<ExchangeRecord[]>;
  /**
   * Keeps the final CreatePayment answer for (caller, key), so a replay is byte-identical even
   * after Redis has forgotten the key. Written once; a second save for the same key is ignored.
   */
  saveResponse(caller: string, idempotencyKey: string, response: StoredResponse): Promise<void>;
  findResponse(caller: string, idempotencyKey: string): Promise<StoredResponse | undefined>;
  /** What the router's gauges show, read at each metrics scrape: one cheap query. */
  gauges(): Promise<StoreGauges>;
  close(): Promise<void>;
}

/** PaymentStore.gauges: the resolver's backlog, manual review and the outbox, across callers. */
export interface StoreGauges {
  /** Payments the status resolver owes a check: scheduled, not terminal, not under review. */
  resolverBacklog: number;
  /** When the oldest of those was created; undefined when there is none. */
  oldestUnresolvedAt: Date | undefined;
  /** Payments raised for a person to review (rejected requests are not payments). */
  inReview: number;
  /** When the oldest unpublished outbox event was written; undefined when there is none. */
  oldestUnpublishedAt: Date | undefined;
}

/** One recorded state change (the append-only journal). */
export interface JournalEntry {
  paymentId: string;
  from: PaymentStatus;
  to: PaymentStatus;
  cause: TransitionCause;
  at: Date;
}

/** One HTTP exchange between an adapter and its provider, as recorded for audit. */
export interface ExchangeRecord {
  operation: string;
  httpMethod: string;
  url: string;
  requestBody: string;
  /** 0 when no answer arrived. */
  responseStatus: number;
  responseBody: string;
  startedAt: Date;
  durationMicros: bigint;
  /** "" unless the transport failed. */
  transportError: string;
}

/** A finished CreatePayment answer: a serialized response, or a serialized google.rpc.Status. */
export interface StoredResponse {
  fingerprint: string;
  paymentId: string;
  /** gRPC status code of the answer; 0 for a successful CreatePaymentResponse. */
  grpcCode: number;
  /** The exact bytes sent: CreatePaymentResponse when grpcCode is 0, else google.rpc.Status. */
  body: Uint8Array;
}
