import { PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { type PaymentRecord, toPaymentMessage } from "../payment-record.ts";
import { isTerminal } from "../payment-state.ts";
import type { PaymentFilter, PaymentStore } from "../payment-store.ts";
import type { PaymentFixtures } from "./payment-fixtures.ts";

const ALL: PaymentFilter = { statuses: [], methods: [] };

/**
 * The status resolver's state in the store: resolution and review through insert and update, the
 * resolver's queue (dueForResolution) and list(unresolvedOnly).
 */
export function resolutionContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  const inserted = async (overrides: Partial<PaymentRecord> = {}): Promise<PaymentRecord> => {
    const result = await store().insert(fixtures.payment(overrides));
    expect(result.inserted).toBe(true);
    return result.record;
  };
  /** Applies a change that must apply, and checks the store returns what it then reads back. */
  const applied = async (
    record: PaymentRecord,
    change: Parameters<PaymentStore["update"]>[2],
  ): Promise<PaymentRecord> => {
    const result = await store().update(record.id, record.version, change, "resolver");
    if (!result.applied) throw new Error(`update of ${record.id} was refused: ${result.why}`);
    expect(await store().getById(record.id)).toEqual(result.record);
    return result.record;
  };
  // Scheduled checks the queue tests ask about are in 2001: every other test schedules its checks
  // in the future, so only this suite's own due payments (of any run) sort among them.
  const at = (minutes: number) => new Date(Date.UTC(2001, 1, 3, 4, 5, 6, 789) + minutes * 60_000);
  const later = { nextCheckAt: new Date("2035-06-07T08:09:10.011Z"), attempts: 0 };

  describe("resolution and review", () => {
    it("round-trip through insert, get and getById, and reach the wire Payment", async () => {
      const record = await inserted({
        outcomeUnknown: true,
        resolution: { nextCheckAt: new Date("2034-01-02T03:04:05.678Z"), attempts: 7 },
        review: {
          reason: "no answer from the provider for 48h",
          since: new Date("2034-01-01T00:00:00.001Z"),
        },
      });
      expect(await store().get(record.caller, record.id)).toEqual(record);
      expect(await store().getById(record.id)).toEqual(record);
      const message = toPaymentMessage(record);
      expect(message.needsReview).toBe(true);
      expect(message.reviewReason).toBe("no answer from the provider for 48h");
      const plain = await inserted();
      expect(await store().getById(plain.id)).toMatchObject({ resolution: undefined, review: undefined });
      expect(toPaymentMessage(plain)).toMatchObject({ needsReview: false, reviewReason: "" });
    });

    it("are set, changed, kept and cleared by update, without a journal row", async () => {
      let record = await inserted();
      record = await applied(record, { outcomeUnknown: true, resolution: later });
      expect(record.resolution).toEqual(later);
      const retry = { nextCheckAt: new Date("2035-06-07T08:19:10.011Z"), attempts: 1 };
      record = await applied(record, { resolution: retry });
      expect(record.resolution).toEqual(retry);
      // A change that does not name a field leaves it as it is.
      record = await applied(record, { adapter: "xendit" });
      expect(record.resolution).toEqual(retry);
      const review = { reason: "", since: new Date("2035-06-09T00:00:00.000Z") };
      record = await applied(record, { review });
      expect(record).toMatchObject({ resolution: retry, review, version: 5 });
      // A change naming a field as undefined clears it.
      record = await applied(record, { resolution: undefined });
      expect(record).toMatchObject({ resolution: undefined, review });
      record = await applied(record, { review: undefined, outcomeUnknown: false });
      expect(record).toMatchObject({ resolution: undefined, review: undefined, version: 7 });
      expect(await store().getById(record.id)).toEqual(record);
      expect(await store().journal(record.id)).toHaveLength(1);
    });

    it("are not changed in the store by changing a record handed out", async () => {
      const record = await inserted({
        resolution: { nextCheckAt: new Date(later.nextCheckAt), attempts: 0 },
      });
      const read = await store().getById(record.id);
      if (read?.resolution === undefined) throw new Error("the resolution was not stored");
      read.resolution.attempts = 99;
      read.resolution.nextCheckAt.setTime(0);
      expect((await store().getById(record.id))?.resolution).toEqual(later);
    });
  });

  describe("dueForResolution", () => {
    /** Every caller's payments the resolver may work on at `now`; checks the queue's invariants. */
    async function queue(now: Date, limit = 1_000): Promise<PaymentRecord[]> {
      const due = await store().dueForResolution(now, limit);
      for (const record of due) {
        expect(record.resolution?.nextCheckAt.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(record.review).toBeUndefined();
        expect(isTerminal(record.status)).toBe(false);
      }
      const time = (record: PaymentRecord) => record.resolution?.nextCheckAt.getTime() ?? 0;
      const sorted = [...due].sort((a, b) => time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      expect(due.map((record) => record.id)).toEqual(sorted.map((record) => record.id));
      return due;
    }

    it("returns due, non-terminal, unreviewed payments of every caller, oldest check first", async () => {
      const now = at(10);
      const second = await inserted({
        outcomeUnknown: true,
        resolution: { nextCheckAt: at(3), attempts: 2 },
      });
      const first = await inserted({
        status: PaymentStatus.PROCESSING,
        outcomeUnknown: true,
        resolution: { nextCheckAt: at(1), attempts: 0 },
      });
      // The same time as `second`: the id decides.
      const third = await inserted({ resolution: { nextCheckAt: at(3), attempts: 1 } });
      const fourth = await inserted({
        status: PaymentStatus.REQUIRES_ACTION,
        resolution: { nextCheckAt: now, attempts: 4 },
      });
      const notYet = await inserted({ resolution: { nextCheckAt: at(10.5), attempts: 0 } });
      const terminal = await inserted({
        status: PaymentStatus.SUCCEEDED,
        resolution: { nextCheckAt: at(0), attempts: 3 },
      });
      const reviewed = await inserted({
        outcomeUnknown: true,
        resolution: { nextCheckAt: at(0), attempts: 9 },
        review: { reason: "past the horizon", since: at(0) },
      });
      const unscheduled = await inserted({ outcomeUnknown: true });
      const mine = new Set(
        [second, first, third, fourth, notYet, terminal, reviewed, unscheduled].map((record) => record.id),
      );
      expect(new Set([second, first, third, fourth].map((record) => record.caller)).size).toBe(4);

      const due = await queue(now);
      expect(due.filter((record) => mine.has(record.id))).toEqual([first, second, third, fourth]);
      const early = await queue(at(2));
      expect(early.filter((record) => mine.has(record.id))).toEqual([first]);
      expect((await queue(at(11))).filter((record) => mine.has(record.id))).toEqual([
        first,
        second,
        third,
        fourth,
        notYet,
      ]);
    });

    it("takes at most `limit`, from the front of the queue", async () => {
      const now = at(20);
      for (const [minutes, attempts] of [
        [14, 0],
        [12, 1],
        [13, 2],
      ] as const) {
        await inserted({ resolution: { nextCheckAt: at(minutes), attempts } });
      }
      const whole = await queue(now);
      expect(whole.length).toBeGreaterThanOrEqual(3);
      expect(await queue(now, 2)).toEqual(whole.slice(0, 2));
      expect(await queue(now, 1)).toEqual(whole.slice(0, 1));
      expect(await store().dueForResolution(now, 0)).toEqual([]);
      await expect(store().dueForResolution(now, -1)).rejects.toThrow(RangeError);
    });

    it("drops a payment that turns terminal, is raised for review or has its check cleared or moved", async () => {
      const now = at(30);
      const ids = new Set<string>();
      const make = async () => {
        const record = await inserted({
          outcomeUnknown: true,
          resolution: { nextCheckAt: at(25), attempts: 1 },
        });
        ids.add(record.id);
        return record;
      };
      const [settled, raised, cleared, moved, kept] = [
        await make(),
        await make(),
        await make(),
        await make(),
        await make(),
      ];
      const ours = async () =>
        (await queue(now)).filter((record) => ids.has(record.id)).map((record) => record.id);
      expect(await ours()).toEqual([settled.id, raised.id, cleared.id, moved.id, kept.id]);
      await applied(settled, { status: PaymentStatus.SUCCEEDED, outcomeUnknown: false });
      await applied(raised, { review: { reason: "past the horizon", since: now } });
      await applied(cleared, { resolution: undefined });
      await applied(moved, { resolution: { nextCheckAt: at(35), attempts: 2 } });
      expect(await ours()).toEqual([kept.id]);
      // Back from review (an operator lifted it): queued again.
      const back = await store().getById(raised.id);
      if (back === undefined) throw new Error("the raised payment is gone");
      await applied(back, { review: undefined });
      expect(await ours()).toEqual([raised.id, kept.id]);
    });
  });

  describe("list unresolvedOnly", () => {
    it("lists only payments with an unknown outcome or raised for review, newest first and paged", async () => {
      const caller = fixtures.caller();
      const review = { reason: "past the horizon", since: new Date("2030-01-01T00:00:00.000Z") };
      const plain = await inserted({ caller });
      const unknown = await inserted({ caller, outcomeUnknown: true, resolution: later });
      const raised = await inserted({ caller, review });
      const both = await inserted({ caller, outcomeUnknown: true, review });
      // A check scheduled alone does not make a payment unresolved.
      const scheduledOnly = await inserted({ caller, resolution: later });
      const settledRaised = await inserted({ caller, status: PaymentStatus.SUCCEEDED, review });
      await inserted({ outcomeUnknown: true, review });

      const ids = (records: readonly PaymentRecord[]) => records.map((record) => record.id);
      const unresolved = { ...ALL, unresolvedOnly: true };
      const page = await store().list(caller, unresolved, 10, undefined);
      expect(page).toEqual({ payments: [settledRaised, both, raised, unknown], after: undefined });
      const first = await store().list(caller, unresolved, 3, undefined);
      expect(ids(first.payments)).toEqual(ids([settledRaised, both, raised]));
      const rest = await store().list(caller, unresolved, 3, first.after);
      expect(rest).toEqual({ payments: [unknown], after: undefined });
      const pending = await store().list(
        caller,
        { ...unresolved, statuses: [PaymentStatus.PENDING] },
        10,
        undefined,
      );
      expect(ids(pending.payments)).toEqual(ids([both, raised, unknown]));
      const everything = await store().list(caller, { ...ALL, unresolvedOnly: false }, 10, undefined);
      expect(ids(everything.payments)).toEqual(
        ids([settledRaised, scheduledOnly, both, raised, unknown, plain]),
      );

      await applied(unknown, { outcomeUnknown: false, resolution: undefined });
      await applied(raised, { review: undefined });
      await applied(plain, { outcomeUnknown: true });
      const after = await store().list(caller, unresolved, 10, undefined);
      expect(ids(after.payments)).toEqual(ids([settledRaised, both, plain]));
    });
  });
}
