import { fromBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { PaymentEventSchema, PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import type { OutboxEvent } from "../payment-events.ts";
import type { PaymentRecord } from "../payment-record.ts";
import type { PaymentStore } from "../payment-store.ts";
import { DECLINED, type PaymentFixtures } from "./payment-fixtures.ts";

/**
 * The outbox (every state change writes its event in the same transaction) and the provider
 * events that make a redelivered webhook change nothing twice. The outbox is shared by the whole
 * store, so each test looks only at the events of its own payments.
 */
export function outboxContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  const inserted = async (overrides: Partial<PaymentRecord> = {}): Promise<PaymentRecord> =>
    (await store().insert(fixtures.payment(overrides))).record;
  const decode = (event: OutboxEvent) => fromBinary(PaymentEventSchema, event.payload);

  /** Relays until none of `ids` is pending; returns how often each of their events was published. */
  const relayAll = async (
    ids: readonly string[],
    publish: (event: OutboxEvent) => Promise<void> = async () => {},
  ): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (let pass = 0; pass < 100; pass++) {
      const result = await store().relayOutbox(500, async (event) => {
        await publish(event);
        if (ids.includes(event.paymentId)) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
      });
      if (result.published === 0 && result.failed === 0) return counts;
    }
    throw new Error("the outbox did not drain in 100 passes");
  };

  describe("outbox", () => {
    it("writes the creation and every status change as an event, in version order", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { adapter: "qris" }, "api"); // no status change: no event
      await store().update(record.id, 2, { status: PaymentStatus.REQUIRES_ACTION }, "api");
      await store().update(record.id, 3, { status: PaymentStatus.SUCCEEDED }, "webhook");
      const events = await store().paymentEvents(record.id, 0);
      expect(events.map((event) => [event.eventId, event.version, event.routingKey])).toEqual([
        [`${record.id}/1`, 1, "qris.pending"],
        [`${record.id}/3`, 3, "qris.requires_action"],
        [`${record.id}/4`, 4, "qris.succeeded"],
      ]);
      const last = events[2];
      if (last === undefined) throw new Error("no last event");
      const decoded = decode(last);
      expect(decoded).toMatchObject({
        eventId: `${record.id}/4`,
        previousStatus: PaymentStatus.REQUIRES_ACTION,
        version: 4n,
        payment: { id: record.id, status: PaymentStatus.SUCCEEDED, adapter: "qris" },
      });
      expect(decoded.occurredAt && timestampDate(decoded.occurredAt)).toEqual(last.createdAt);
      expect(decode(events[0] ?? last).previousStatus).toBe(PaymentStatus.UNSPECIFIED);
      expect((await store().paymentEvents(record.id, 3)).map((event) => event.version)).toEqual([4]);
    });

    it("writes no event for a refused change", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { status: PaymentStatus.PROCESSING }, "api");
      await store().update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "api"); // stale
      await store().update(record.id, 2, { status: PaymentStatus.PENDING }, "webhook"); // backwards
      expect((await store().paymentEvents(record.id, 0)).map((event) => event.routingKey)).toEqual([
        "qris.pending",
        "qris.processing",
      ]);
    });

    it("relays each event once, oldest first, and keeps failed ones for the next pass", async () => {
      const a = await inserted();
      const b = await inserted();
      await store().update(a.id, 1, { status: PaymentStatus.PROCESSING }, "api");
      const order: string[] = [];
      let refuse = true;
      const first = await relayAll([a.id, b.id], async (event) => {
        if (event.eventId === `${b.id}/1` && refuse) throw new Error("broker said no");
        if (event.paymentId === a.id || event.paymentId === b.id) order.push(event.eventId);
      }).catch((error: unknown) => error);
      // The refused event keeps failing, so the outbox never drains while refusing.
      expect(first).toBeInstanceOf(Error);
      expect(order).toEqual([`${a.id}/1`, `${a.id}/2`]);
      refuse = false;
      const second = await relayAll([a.id, b.id]);
      expect([...second.entries()]).toEqual([[`${b.id}/1`, 1]]);
    });

    it("runs one relay pass at a time, so concurrent relays publish each event once", async () => {
      const records = await Promise.all(Array.from({ length: 5 }, () => inserted()));
      const ids = records.map((record) => record.id);
      const counts = new Map<string, number>();
      const publish = async (event: OutboxEvent): Promise<void> => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (ids.includes(event.paymentId)) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
      };
      await Promise.all(Array.from({ length: 4 }, () => store().relayOutbox(500, publish)));
      await relayAll(ids, publish);
      expect([...counts.values()]).toEqual(ids.map(() => 1));
    });

    it("purges published events older than the cut-off and keeps unpublished ones", async () => {
      const record = await inserted();
      await relayAll([record.id]);
      await store().update(record.id, 1, { status: PaymentStatus.PROCESSING }, "api");
      await store().purgeOutbox(new Date(Date.now() + 60_000));
      expect((await store().paymentEvents(record.id, 0)).map((event) => event.version)).toEqual([2]);
    });

    it("holds a new payment's events until a status change releases them, then relays them in order", async () => {
      const record = await inserted({ eventsHeld: true });
      await store().update(record.id, 1, { adapter: "qris" }, "api"); // not an answer: still held
      expect([...(await relayAll([record.id])).keys()]).toEqual([]);
      await store().update(record.id, 2, { status: PaymentStatus.REQUIRES_ACTION }, "api");
      expect((await store().getById(record.id))?.eventsHeld).toBeUndefined();
      expect([...(await relayAll([record.id])).keys()]).toEqual([`${record.id}/1`, `${record.id}/3`]);
    });

    it("releases held events on a change that clears the hold, though the status stays", async () => {
      const record = await inserted({ eventsHeld: true });
      await store().update(record.id, 1, { providerReference: "ref-accepted", eventsHeld: false }, "api");
      expect([...(await relayAll([record.id])).keys()]).toEqual([`${record.id}/1`]);
    });

    it("discards the held events of a rejected request and writes none for the rejection", async () => {
      const record = await inserted({ eventsHeld: true });
      const rejected = await store().update(
        record.id,
        1,
        { status: PaymentStatus.FAILED, rejectedAt: new Date(), failure: DECLINED },
        "api",
      );
      expect(rejected.applied).toBe(true);
      expect(await store().paymentEvents(record.id, 0)).toEqual([]);
      expect([...(await relayAll([record.id])).keys()]).toEqual([]);
      // The journal keeps the refusal for the audit trail.
      expect((await store().journal(record.id)).map((entry) => entry.to)).toEqual([
        PaymentStatus.PENDING,
        PaymentStatus.FAILED,
      ]);
    });

    it("rejects a non-positive relay limit", async () => {
      await expect(async () => store().relayOutbox(0, async () => {})).rejects.toThrow(RangeError);
    });
  });

  describe("provider events", () => {
    const event = (eventId: string, claimedStatus: PaymentStatus) => ({
      adapter: "qris",
      eventId,
      claimedStatus,
    });

    it("records an event with its change and refuses the same event again", async () => {
      const record = await inserted({ adapter: "qris" });
      const first = await store().update(
        record.id,
        1,
        { status: PaymentStatus.SUCCEEDED },
        "webhook",
        event("evt-1", PaymentStatus.SUCCEEDED),
      );
      expect(first.applied).toBe(true);
      const again = await store().update(
        record.id,
        2,
        { status: PaymentStatus.SUCCEEDED },
        "webhook",
        event("evt-1", PaymentStatus.SUCCEEDED),
      );
      expect(again).toMatchObject({ applied: false, why: "duplicate", record: { version: 2 } });
      expect(await store().providerEvents(record.id)).toMatchObject([
        { adapter: "qris", eventId: "evt-1", paymentId: record.id, outcome: "applied" },
      ]);
      expect((await store().journal(record.id)).map((entry) => entry.to)).toEqual([
        PaymentStatus.PENDING,
        PaymentStatus.SUCCEEDED,
      ]);
    });

    it("records a late event that does not move the payment as ignored or same_status", async () => {
      const record = await inserted({ adapter: "qris" });
      await store().update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
      // The caller drops a backwards status (applyChange does); the event is still recorded.
      await store().update(record.id, 2, {}, "webhook", event("late", PaymentStatus.REQUIRES_ACTION));
      await store().update(record.id, 3, {}, "webhook", event("copy", PaymentStatus.SUCCEEDED));
      const recorded = await store().providerEvents(record.id);
      expect(recorded.map((entry) => [entry.eventId, entry.claimedStatus, entry.outcome]).sort()).toEqual([
        ["copy", PaymentStatus.SUCCEEDED, "same_status"],
        ["late", PaymentStatus.REQUIRES_ACTION, "ignored"],
      ]);
      expect(await store().journal(record.id)).toHaveLength(2);
    });

    it("lets exactly one of many concurrent copies of an event through", async () => {
      const record = await inserted({ adapter: "qris" });
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          store().update(
            record.id,
            1,
            { status: PaymentStatus.SUCCEEDED },
            "webhook",
            event("evt-many", PaymentStatus.SUCCEEDED),
          ),
        ),
      );
      expect(results.filter((result) => result.applied)).toHaveLength(1);
      expect(results.every((result) => result.applied || result.why !== "backwards")).toBe(true);
      const retry = await store().update(
        record.id,
        2,
        {},
        "webhook",
        event("evt-many", PaymentStatus.SUCCEEDED),
      );
      expect(retry).toMatchObject({ applied: false, why: "duplicate" });
      expect(await store().journal(record.id)).toHaveLength(2);
      expect(await store().providerEvents(record.id)).toHaveLength(1);
    });
  });
}
