import { EventEmitter } from "node:events";
import { PaymentStatus } from "@paymesh/proto";
import { ephemeralKeyRing, type KeyRing } from "./key-ring.ts";
import { planChange } from "./payment-change.ts";
import {
  leavesEventsReady,
  OUTBOX_READY,
  type OutboxEvent,
  outboxEventFor,
  type ProviderEventRecord,
  providerEventOutcome,
} from "./payment-events.ts";
import { methodType, type PaymentRecord } from "./payment-record.ts";
import type {
  ExchangeRecord,
  InsertResult,
  JournalEntry,
  PaymentChange,
  PaymentFilter,
  PaymentPage,
  PaymentStore,
  RelayResult,
  StoredResponse,
  UpdateResult,
} from "./payment-store.ts";
import {
  byNextCheck,
  checkResolutionLimit,
  isAwaitingResolution,
  isDueForResolution,
  isUnresolved,
} from "./resolution-queue.ts";
import { protectMethod, revealMethod } from "./sealed-method.ts";

/** A check time every scheduled payment is due by: the resolver's whole backlog, not only what is due now. */
const FAR_FUTURE = new Date(8.64e15);

/**
 * A PaymentStore in process memory: for the walking skeleton and tests that need no database.
 * Loses everything on exit; otherwise it behaves as the SQL store does (the contract suite checks).
 */
export function createMemoryPaymentStore(options: { clock?: () => Date; keys?: KeyRing } = {}): PaymentStore {
  const clock = options.clock ?? (() => new Date());
  // Kept as the SQL store keeps them, masked and sealed, so both answer the same (the contract).
  const keys = options.keys ?? ephemeralKeyRing();
  const byId = new Map<string, PaymentRecord>();
  const byKey = new Map<string, string>();
  const byReference = new Map<string, string>();
  const journal: JournalEntry[] = [];
  const exchanges = new Map<string, ExchangeRecord[]>();
  const responses = new Map<string, StoredResponse>();
  const providerEvents = new Map<string, ProviderEventRecord>();
  const outbox: Array<OutboxEvent & { published: Date | undefined }> = [];
  // One relay pass at a time, as the SQL store's advisory lock ensures.
  let relaying: Promise<unknown> = Promise.resolve();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  // Stored and handed out as copies, as a database would: nobody can change a stored payment in place.
  const copy = (record: PaymentRecord): PaymentRecord => ({
    ...record,
    metadata: { ...record.metadata },
    resolution: record.resolution && {
      nextCheckAt: new Date(record.resolution.nextCheckAt),
      attempts: record.resolution.attempts,
      ...(record.resolution.lastAnswer === undefined ? {} : { lastAnswer: record.resolution.lastAnswer }),
    },
    review: record.review && { reason: record.review.reason, since: new Date(record.review.since) },
  });
  const copyResponse = (response: StoredResponse): StoredResponse => ({
    ...response,
    body: new Uint8Array(response.body),
  });
  const scope = (caller: string, idempotencyKey: string) => `${caller}\u0000${idempotencyKey}`;
  const record = (paymentId: string, recorded: readonly ExchangeRecord[]) => {
    // As the SQL store's foreign key does: an exchange always belongs to a stored payment.
    if (!byId.has(paymentId)) throw new Error(`payment ${paymentId} does not exist`);
    const list = exchanges.get(paymentId) ?? [];
    list.push(...recorded.map((exchange) => ({ ...exchange })));
    exchanges.set(paymentId, list);
  };

  return {
    async insert(given): Promise<InsertResult> {
      const record = protectMethod(keys, given);
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
      outbox.push({
        ...outboxEventFor(record, PaymentStatus.UNSPECIFIED, record.createdAt),
        published: undefined,
      });
      if (record.eventsHeld !== true) events.emit(OUTBOX_READY);
      return { inserted: true, record: copy(record) };
    },
    revealMethod: (record) => revealMethod(keys, record),
    async get(caller, id) {
      const record = byId.get(id);
      return record === undefined || record.caller !== caller || record.rejectedAt !== undefined
        ? undefined
        : copy(record);
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
    async update(
      id,
      expectedVersion,
      change: PaymentChange,
      cause,
      event,
      options = {},
    ): Promise<UpdateResult> {
      const current = byId.get(id);
      if (current === undefined) throw new Error(`payment ${id} does not exist`);
      if (options.review !== undefined) throw new Error("the in-memory store keeps no review trail");
      // As the SQL store: the exchanges are recorded whether or not the change applies.
      if (options.exchanges !== undefined) record(id, options.exchanges.records);
      const eventKey = event && `${event.adapter}\u0000${event.eventId}`;
      if (eventKey !== undefined && providerEvents.has(eventKey))
        return { applied: false, record: copy(current), why: "duplicate" };
      if (current.version !== expectedVersion) return { applied: false, record: copy(current), why: "stale" };
      const plan = planChange(current, change, clock());
      if (plan.backwards) return { applied: false, record: copy(current), why: "backwards" };
      const { events: effect } = plan;
      const next = copy(plan.next);
      byId.set(id, next);
      if (next.providerReference !== "")
        byReference.set(`${next.adapter}\u0000${next.providerReference}`, id);
      if (next.status !== current.status)
        journal.push({ paymentId: id, from: current.status, to: next.status, cause, at: next.updatedAt });
      if (effect.write)
        outbox.push({ ...outboxEventFor(next, current.status, next.updatedAt), published: undefined });
      if (effect.discard) {
        const kept = outbox.filter((entry) => entry.paymentId !== id || entry.published !== undefined);
        outbox.splice(0, outbox.length, ...kept);
      }
      if (event !== undefined && eventKey !== undefined) {
        providerEvents.set(eventKey, {
          ...event,
          paymentId: id,
          outcome: providerEventOutcome(current.status, event.claimedStatus, next.status !== current.status),
          receivedAt: next.updatedAt,
        });
      }
      if (options.answer !== undefined) {
        const key = scope(options.answer.caller, options.answer.idempotencyKey);
        if (!responses.has(key)) responses.set(key, copyResponse(options.answer.build(copy(next))));
      }
      events.emit(id, copy(next), copy(current));
      if (leavesEventsReady(current, next)) events.emit(OUTBOX_READY);
      return { applied: true, record: copy(next), previous: copy(current) };
    },
    async list(caller, filter: PaymentFilter, pageSize, after): Promise<PaymentPage> {
      // Newest first; the cursor is the last id returned (ids sort by creation time).
      const matches = [...byId.values()]
        .filter((record) => record.caller === caller && record.rejectedAt === undefined)
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
    async listUnresolved(limit) {
      checkResolutionLimit(limit);
      return [...byId.values()]
        .filter(isAwaitingResolution)
        .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .slice(0, limit)
        .map(copy);
    },
    async gauges() {
      const chased = [...byId.values()].filter((record) => isDueForResolution(record, FAR_FUTURE));
      const oldest = (dates: Date[]) =>
        dates.length === 0 ? undefined : new Date(Math.min(...dates.map(Number)));
      return {
        resolverBacklog: chased.length,
        oldestUnresolvedAt: oldest(chased.map((record) => record.createdAt)),
        inReview: [...byId.values()].filter((r) => r.review !== undefined && r.rejectedAt === undefined)
          .length,
        oldestUnpublishedAt: oldest(outbox.filter((e) => e.published === undefined).map((e) => e.createdAt)),
      };
    },
    subscribe(id, listener) {
      events.on(id, listener);
      return () => events.off(id, listener);
    },
    async recordExchanges(paymentId, _adapter, recorded) {
      record(paymentId, recorded);
    },
    watchOutbox(listener) {
      events.on(OUTBOX_READY, listener);
      return () => events.off(OUTBOX_READY, listener);
    },
    async journal(paymentId) {
      return journal.filter((entry) => entry.paymentId === paymentId).map((entry) => ({ ...entry }));
    },
    async providerEvents(paymentId) {
      return [...providerEvents.values()]
        .filter((event) => event.paymentId === paymentId)
        .map((event) => ({ ...event }));
    },
    relayOutbox(limit, publish) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
      const pass = relaying.then(async (): Promise<RelayResult> => {
        const pending = outbox
          .filter((event) => event.published === undefined && byId.get(event.paymentId)?.eventsHeld !== true)
          .slice(0, limit);
        const results = await Promise.allSettled(pending.map((event) => publish(withoutMark(event))));
        const now = clock();
        let published = 0;
        results.forEach((result, index) => {
          const event = pending[index];
          if (result.status !== "fulfilled" || event === undefined) return;
          event.published = now;
          published++;
        });
        const failure = results.find((result) => result.status === "rejected");
        return {
          published,
          failed: pending.length - published,
          ...(failure === undefined ? {} : { error: failure.reason }),
        };
      });
      relaying = pass.catch(() => {});
      return pass;
    },
    async paymentEvents(paymentId, afterVersion) {
      return outbox
        .filter((event) => event.paymentId === paymentId && event.version > afterVersion)
        .map(withoutMark);
    },
    async purgeOutbox(before) {
      const kept = outbox.filter((event) => event.published === undefined || event.createdAt >= before);
      const purged = outbox.length - kept.length;
      outbox.splice(0, outbox.length, ...kept);
      return purged;
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

function withoutMark({
  published: _published,
  ...event
}: OutboxEvent & { published: Date | undefined }): OutboxEvent {
  return { ...event, payload: new Uint8Array(event.payload) };
}
