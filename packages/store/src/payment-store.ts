import type { PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import type { PaymentRecord, TransitionCause } from "./payment-record.ts";

/** The fields a state change may set besides the status. */
export type PaymentChange = Partial<
  Pick<
    PaymentRecord,
    "status" | "adapter" | "providerReference" | "customerAction" | "failure" | "outcomeUnknown" | "expiresAt"
  >
>;

/** Filters for PaymentStore.list. */
export interface PaymentFilter {
  statuses: readonly PaymentStatus[];
  methods: readonly PaymentMethodType[];
  createdAfter?: Date;
  createdBefore?: Date;
}

/** One page of a list; `after` is an opaque cursor for the next page. */
export interface PaymentPage {
  payments: PaymentRecord[];
  after: string | undefined;
}

/** Result of PaymentStore.insert: the new record, or the one already holding (caller, key). */
export type InsertResult =
  | { inserted: true; record: PaymentRecord }
  | { inserted: false; record: PaymentRecord };

/** A change that was applied, or why it was not. */
export type UpdateResult =
  | { applied: true; record: PaymentRecord; previous: PaymentRecord }
  | { applied: false; record: PaymentRecord; why: "stale" | "backwards" };

/**
 * Where payments live. The router holds this interface only; the in-memory store serves the
 * walking skeleton and tests, and the durable stores implement the same contract.
 */
export interface PaymentStore {
  /** Inserts a new payment unless (caller, idempotencyKey) is taken: that constraint is the authority. */
  insert(record: PaymentRecord): Promise<InsertResult>;
  /** A payment by id, scoped to its caller: another caller's payment is undefined. */
  get(caller: string, id: string): Promise<PaymentRecord | undefined>;
  /** A payment by id regardless of caller, for webhooks and the resolver. */
  getById(id: string): Promise<PaymentRecord | undefined>;
  findByProviderReference(adapter: string, providerReference: string): Promise<PaymentRecord | undefined>;
  /**
   * Applies a change if the record is still at `expectedVersion`. A status change must move the
   * payment forward (payment-state.ts); fields can change without a status change.
   */
  update(
    id: string,
    expectedVersion: number,
    change: PaymentChange,
    cause: TransitionCause,
  ): Promise<UpdateResult>;
  list(
    caller: string,
    filter: PaymentFilter,
    pageSize: number,
    after: string | undefined,
  ): Promise<PaymentPage>;
  /** Calls `listener` after every applied change of the payment; returns an unsubscribe function. */
  subscribe(id: string, listener: (record: PaymentRecord, previous: PaymentRecord) => void): () => void;
}
