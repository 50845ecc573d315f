import { EventEmitter } from "node:events";
import { methodType, type PaymentRecord, type TransitionCause } from "./payment-record.ts";
import { canTransition } from "./payment-state.ts";
import type {
  InsertResult,
  PaymentChange,
  PaymentFilter,
  PaymentPage,
  PaymentStore,
  UpdateResult,
} from "./payment-store.ts";

/** One recorded state change. */
export interface JournalEntry {
  paymentId: string;
  from: PaymentRecord["status"];
  to: PaymentRecord["status"];
  cause: TransitionCause;
  at: Date;
}

/**
 * A PaymentStore in process memory: for the walking skeleton and tests. Loses everything on exit;
 * it keeps a journal so tests can count transitions.
 */
export function createMemoryPaymentStore(options: { clock?: () => Date } = {}): PaymentStore & {
  journal: readonly JournalEntry[];
} {
  const clock = options.clock ?? (() => new Date());
  const byId = new Map<string, PaymentRecord>();
  const byKey = new Map<string, string>();
  const byReference = new Map<string, string>();
  const journal: JournalEntry[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const copy = (record: PaymentRecord): PaymentRecord => ({ ...record, metadata: { ...record.metadata } });

  return {
    journal,
    async insert(record): Promise<InsertResult> {
      const key = `${record.caller}\u0000${record.idempotencyKey}`;
      const existingId = byKey.get(key);
      const existing = existingId === undefined ? undefined : byId.get(existingId);
      if (existing !== undefined) return { inserted: false, record: copy(existing) };
      byKey.set(key, record.id);
      byId.set(record.id, copy(record));
      journal.push({
        paymentId: record.id,
        from: record.status,
        to: record.status,
        cause: "api",
        at: record.createdAt,
      });
      return { inserted: true, record: copy(record) };
    },
    async get(caller, id) {
      const record = byId.get(id);
      return record === undefined || record.caller !== caller ? undefined : copy(record);
    },
    async getById(id) {
      const record = byId.get(id);
      return record === undefined ? undefined : copy(record);
    },
    async findByProviderReference(adapter, providerReference) {
      const id = byReference.get(`${adapter}\u0000${providerReference}`);
      const record = id === undefined ? undefined : byId.get(id);
      return record === undefined ? undefined : copy(record);
    },
    async update(id, expectedVersion, change: PaymentChange, cause): Promise<UpdateResult> {
      const current = byId.get(id);
      if (current === undefined) throw new Error(`payment ${id} does not exist`);
      if (current.version !== expectedVersion) return { applied: false, record: copy(current), why: "stale" };
      if (
        change.status !== undefined &&
        change.status !== current.status &&
        !canTransition(current.status, change.status)
      ) {
        return { applied: false, record: copy(current), why: "backwards" };
      }
      const next: PaymentRecord = { ...current, ...change, updatedAt: clock(), version: current.version + 1 };
      byId.set(id, next);
      if (next.providerReference !== "")
        byReference.set(`${next.adapter}\u0000${next.providerReference}`, id);
      if (next.status !== current.status) {
        journal.push({ paymentId: id, from: current.status, to: next.status, cause, at: next.updatedAt });
      }
      events.emit(id, copy(next), copy(current));
      return { applied: true, record: copy(next), previous: copy(current) };
    },
    async list(caller, filter: PaymentFilter, pageSize, after): Promise<PaymentPage> {
      // Newest first; the cursor is the last id returned (ids sort by creation time).
      const matches = [...byId.values()]
        .filter((record) => record.caller === caller)
        .filter((record) => filter.statuses.length === 0 || filter.statuses.includes(record.status))
        .filter((record) => filter.methods.length === 0 || filter.methods.includes(methodType(record.method)))
        .filter((record) => filter.createdAfter === undefined || record.createdAt >= filter.createdAfter)
        .filter((record) => filter.createdBefore === undefined || record.createdAt < filter.createdBefore)
        .filter((record) => after === undefined || record.id < after)
        .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      const payments = matches.slice(0, pageSize).map(copy);
      const last = payments.at(-1);
      return { payments, after: matches.length > pageSize && last !== undefined ? last.id : undefined };
    },
    subscribe(id, listener) {
      events.on(id, listener);
      return () => events.off(id, listener);
    },
  };
}
