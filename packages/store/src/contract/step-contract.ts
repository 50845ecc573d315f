import { PaymentStatus } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import type { PaymentRecord } from "../payment-record.ts";
import type { ExchangeRecord, PaymentStore, PendingAnswer } from "../payment-store.ts";
import { type PaymentFixtures, QR_ACTION } from "./payment-fixtures.ts";

/**
 * update's options: a payment's step (the provider's exchanges, the change with its journal row
 * and event, and the saved answer) written together, from the record the caller holds.
 */
export function stepContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  const exchange = (operation: string): ExchangeRecord => ({
    operation,
    httpMethod: "POST",
    url: "https://api.provider.test/v2/qr_codes",
    requestBody: '{"amount":25000}',
    responseStatus: 200,
    responseBody: '{"status":"ACTIVE"}',
    startedAt: new Date(),
    durationMicros: 1_500n,
    transportError: "",
  });
  const answerFor = (record: PaymentRecord): PendingAnswer => ({
    caller: record.caller,
    idempotencyKey: record.idempotencyKey,
    // The bytes name the status the change left, so a test sees which record the answer was built from.
    build: (changed) => ({
      fingerprint: record.fingerprint,
      paymentId: changed.id,
      grpcCode: 0,
      body: new TextEncoder().encode(`${changed.id}:${PaymentStatus[changed.status]}:v${changed.version}`),
    }),
  });
  const inserted = async (overrides: Partial<PaymentRecord> = {}): Promise<PaymentRecord> =>
    (await store().insert(fixtures.payment({ eventsHeld: true, ...overrides }))).record;

  describe("a step written together (update options)", () => {
    it("writes the change, its journal row and event, the exchanges and the answer", async () => {
      const record = await inserted();
      const result = await store().update(
        record.id,
        record.version,
        { status: PaymentStatus.REQUIRES_ACTION, customerAction: QR_ACTION, eventsHeld: false },
        "api",
        undefined,
        {
          current: record,
          exchanges: { adapter: "qris", records: [exchange("createQr"), exchange("getQr")] },
          answer: answerFor(record),
        },
      );
      expect(result).toMatchObject({
        applied: true,
        record: { status: PaymentStatus.REQUIRES_ACTION, version: 2 },
      });
      expect(await store().getById(record.id)).toMatchObject({
        status: PaymentStatus.REQUIRES_ACTION,
        customerAction: QR_ACTION,
        version: 2,
      });
      expect((await store().exchanges(record.id)).map((entry) => entry.operation)).toEqual([
        "createQr",
        "getQr",
      ]);
      expect((await store().journal(record.id)).map((entry) => PaymentStatus[entry.to])).toEqual([
        "PENDING",
        "REQUIRES_ACTION",
      ]);
      expect((await store().paymentEvents(record.id, 0)).map((event) => event.version)).toEqual([1, 2]);
      const saved = await store().findResponse(record.caller, record.idempotencyKey);
      expect(new TextDecoder().decode(saved?.body)).toBe(`${record.id}:REQUIRES_ACTION:v2`);
    });

    it("still records the exchanges, and saves no answer, when another writer got there first", async () => {
      const record = await inserted();
      await store().update(record.id, 1, { status: PaymentStatus.PROCESSING }, "webhook");
      const result = await store().update(
        record.id,
        record.version,
        { status: PaymentStatus.REQUIRES_ACTION },
        "api",
        undefined,
        {
          current: record,
          exchanges: { adapter: "qris", records: [exchange("createQr")] },
          answer: answerFor(record),
        },
      );
      expect(result).toMatchObject({ applied: false, why: "stale", record: { version: 2 } });
      expect((await store().exchanges(record.id)).map((entry) => entry.operation)).toEqual(["createQr"]);
      expect(await store().findResponse(record.caller, record.idempotencyKey)).toBeUndefined();
      expect(await store().getById(record.id)).toMatchObject({
        status: PaymentStatus.PROCESSING,
        version: 2,
      });
    });

    it("keeps the answer saved first", async () => {
      const record = await inserted();
      const first = {
        fingerprint: record.fingerprint,
        paymentId: record.id,
        grpcCode: 0,
        body: new Uint8Array([1]),
      };
      await store().saveResponse(record.caller, record.idempotencyKey, first);
      const result = await store().update(record.id, 1, { eventsHeld: false }, "api", undefined, {
        current: record,
        answer: answerFor(record),
      });
      expect(result.applied).toBe(true);
      expect((await store().findResponse(record.caller, record.idempotencyKey))?.body).toEqual(
        new Uint8Array([1]),
      );
    });

    it("refuses a second copy of a provider event with the caller's copy, and records both calls' exchanges", async () => {
      const record = await inserted({ eventsHeld: false });
      const event = { adapter: "qris", eventId: `evt-${record.id}`, claimedStatus: PaymentStatus.SUCCEEDED };
      const first = await store().update(
        record.id,
        1,
        { status: PaymentStatus.SUCCEEDED },
        "webhook",
        event,
        {
          current: record,
        },
      );
      expect(first.applied).toBe(true);
      if (!first.applied) return;
      const again = await store().update(
        record.id,
        first.record.version,
        { status: PaymentStatus.SUCCEEDED },
        "webhook",
        event,
        { current: first.record, exchanges: { adapter: "qris", records: [exchange("getQr")] } },
      );
      expect(again).toMatchObject({ applied: false, why: "duplicate", record: { version: 2 } });
      expect((await store().providerEvents(record.id)).map((seen) => seen.outcome)).toEqual(["applied"]);
      expect((await store().exchanges(record.id)).map((entry) => entry.operation)).toEqual(["getQr"]);
      expect((await store().journal(record.id)).length).toBe(2);
    });

    it("writes only what the change names, whatever else the caller's copy says", async () => {
      const record = await inserted();
      const copy = { ...record, description: "not what is stored", merchantReference: "forged" };
      const result = await store().update(
        record.id,
        1,
        { status: PaymentStatus.PROCESSING },
        "api",
        undefined,
        {
          current: copy,
        },
      );
      expect(result.applied).toBe(true);
      expect(await store().getById(record.id)).toMatchObject({
        status: PaymentStatus.PROCESSING,
        description: record.description,
        merchantReference: record.merchantReference,
      });
    });
  });

  describe("watchOutbox", () => {
    it("tells a watcher when a write leaves events ready, and only then", async () => {
      let signals = 0;
      const stop = store().watchOutbox(() => {
        signals++;
      });
      try {
        const held = await inserted();
        expect(signals).toBe(0);
        await store().update(held.id, 1, { adapter: "qris" }, "api");
        expect(signals).toBe(0);
        await store().update(held.id, 2, { eventsHeld: false }, "api");
        expect(signals).toBe(1);
        await store().update(held.id, 3, { status: PaymentStatus.SUCCEEDED }, "webhook");
        expect(signals).toBe(2);
        const refused = await inserted();
        await store().update(refused.id, 1, { status: PaymentStatus.FAILED, rejectedAt: new Date() }, "api");
        expect(signals).toBe(2);
        await inserted({ eventsHeld: false });
        expect(signals).toBe(3);
      } finally {
        stop();
      }
      await inserted({ eventsHeld: false });
      expect(signals).toBe(3);
    });
  });
}
