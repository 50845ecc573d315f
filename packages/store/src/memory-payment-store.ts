import { EventEmitter } from "node:events";
import { methodType, type PaymentRecord } from "./payment-record.ts";
import { canTransition } from "./payment-state.ts";
import type {
  ExchangeRecord,
  InsertResult,
  JournalEntry,
  PaymentChange,
  PaymentFilter,
  PaymentPage,
  PaymentStore,
  StoredResponse,
  UpdateResult,
} from "./payment-store.ts";
import { byNextCheck, checkResolutionLimit, isDueForResolution, isUnresolved } from "./resolution-queue.ts";

/**
 * A PaymentStore in process memory: for the walking skeleton and tests that need no database.
 * Loses everything on exit; otherwise it behaves as the SQL store does (the contract suite checks).
 */
export function createMemoryPaymentStore(options: { clock?: () => Date } = {}): PaymentStore {
  const clock = options.clock ?? (() => new Date());
  const byId = new Map<string, PaymentRecord>();
  const byKey = new Map<string, string>();
  const byReference = new Map<string, string>();
  const journal: JournalEntry[] = [];
  const exchanges = new Map<string, ExchangeRecord[]>();
  const responses = new Map<string, StoredResponse>();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  // Stored and handed out as copies, as a database would: nobody can change a stored payment in place.
  const copy = (record: PaymentRecord): PaymentRecord => ({
    ...record,
    metadata: { ...record.metadata },
    resolution: record.resolution && {
      nextCheckAt: new Date(record.resolution.nextCheckAt),
      attempts: record.resolution.attempts,
    },
    review: record.review && { reason: record.review.reason, since: new Date(record.review.since) },
  });
  const copyResponse = (response: StoredResponse): StoredResponse => ({
    ...response,
    body: new Uint8Array(response.body),
  });
  const scope = (caller: string, idempotencyKey: string) => `${caller}\u0000${idempotencyKey}`;

  return {
    async insert(record): Promise<InsertResult> {
      const key = scope(record.caller, record.idempotencyKey);
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
      // The index keeps old references; a payment whose reference has since changed is no match.
      if (
        record === undefined ||
        record.adapter !== adapter ||
        record.providerReference !== providerReference
      )
        return undefined;
      return copy(record);
    },
    async update(id, expectedVersion, change: PaymentChange, cause): Promise<UpdateResult> {
      const current = byId.get(id);
      if (current === undefined) throw new Error(`payment ${id} does not exist`);
      if (current.version !== expectedVersion) return { applied: false, record: copy(current), why: "stale" };
      if (
        change.status !== undefined &&
        change.status !== current.status &&
        !canTransition(current.status, change.status, change.failure?.reason)
      ) {
        return { applied: false, record: copy(current), why: "backwards" };
      }
      // A field the change names as undefined is cleared; a field it leaves out is kept.
      const next = copy({ ...current, ...change, updatedAt: clock(), version: current.version + 1 });
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
        .filter((record) => filter.unresolvedOnly !== true || isUnresolved(record))
        .filter((record) => after === undefined || record.id < after)
        .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      const payments = matches.slice(0, pageSize).map(copy);
      const last = payments.at(-1);
      return { payments, after: matches.length > pageSize && last !== undefined ? last.id : undefined };
    },
    async dueForResolution(now, limit) {
      checkResolutionLimit(limit);
      return [...byId.values()]
        .filter((record) => isDueForResolution(record, now))
        .sort(byNextCheck)
        .slice(0, limit)
        .map(copy);
    },
    subscribe(id, listener) {
      events.on(id, listener);
      return () => events.off(id, listener);
    },
    async recordExchanges(paymentId, _adapter, recorded) {
      // As the SQL store's foreign key does: an exchange always belongs to a stored payment.
      if (!byId.has(paymentId)) throw new Error(`payment ${paymentId} does not exist`);
      const list = exchanges.get(paymentId) ?? [];
      list.push(...recorded.map((exchange) => ({ ...exchange })));
      exchanges.set(paymentId, list);
    },
    async journal(paymentId) {
      return journal.filter((entry) => entry.paymentId === paymentId).map((entry) => ({ ...entry }));
    },
    async exchanges(paymentId) {
      return (exchanges.get(paymentId) ?? []).map((exchange) => ({ ...exchange }));
    },
    async saveResponse(caller, idempotencyKey, response) {
      const key = scope(caller, idempotencyKey);
      // Write-once: a replay must get the bytes that were sent the first time.
      if (!responses.has(key)) responses.set(key, copyResponse(response));
    },
    async findResponse(caller, idempotencyKey) {
      const response = responses.get(scope(caller, idempotencyKey));
      return response === undefined ? undefined : copyResponse(response);
    },
    async close() {
      events.removeAllListeners();
    },
  };
}
