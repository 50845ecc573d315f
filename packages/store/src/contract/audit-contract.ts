import { describe, expect, it } from "vitest";
import type { ExchangeRecord, PaymentStore, StoredResponse } from "../payment-store.ts";
import type { PaymentFixtures } from "./payment-fixtures.ts";

/** The audit trail (provider exchanges) and the stored CreatePayment answers. */
export function auditContract(store: () => PaymentStore, fixtures: PaymentFixtures): void {
  const exchange = (overrides: Partial<ExchangeRecord> = {}): ExchangeRecord => ({
    operation: "createPayment",
    httpMethod: "POST",
    url: "https://api.provider.test/v2/qr_codes",
    requestBody: '{"amount":25000,"account_number":"******7890"}',
    responseStatus: 200,
    responseBody: '{"id":"qr_123","status":"ACTIVE"}',
    startedAt: new Date("2026-03-04T05:06:07.089Z"),
    durationMicros: 12_345n,
    transportError: "",
    ...overrides,
  });

  describe("provider exchanges", () => {
    it("round-trips exchanges in the order recorded, durations as exact bigints", async () => {
      const record = (await store().insert(fixtures.payment())).record;
      const first = exchange();
      const second = exchange({
        operation: "getPaymentStatus",
        httpMethod: "GET",
        requestBody: "",
        responseStatus: 0,
        responseBody: "",
        startedAt: new Date("2026-03-04T05:06:09.001Z"),
        durationMicros: 9_007_199_254_740_993n,
        transportError: "ECONNRESET",
      });
      await store().recordExchanges(record.id, "xendit", [first, second]);
      await store().recordExchanges(record.id, "xendit", []);
      await store().recordExchanges(record.id, "xendit", [exchange({ operation: "cancelPayment" })]);
      expect(await store().exchanges(record.id)).toEqual([
        first,
        second,
        exchange({ operation: "cancelPayment" }),
      ]);
      expect(await store().exchanges(fixtures.payment().id)).toEqual([]);
    });

    it("refuses exchanges of a payment that does not exist", async () => {
      await expect(store().recordExchanges(fixtures.payment().id, "xendit", [exchange()])).rejects.toThrow();
    });
  });

  describe("stored responses", () => {
    it("returns the saved bytes exactly and keeps the first answer", async () => {
      const record = (await store().insert(fixtures.payment())).record;
      expect(await store().findResponse(record.caller, record.idempotencyKey)).toBeUndefined();
      const saved: StoredResponse = {
        fingerprint: record.fingerprint,
        paymentId: record.id,
        grpcCode: 0,
        body: Uint8Array.from([0, 1, 2, 127, 128, 254, 255, 0]),
      };
      await store().saveResponse(record.caller, record.idempotencyKey, saved);
      await store().saveResponse(record.caller, record.idempotencyKey, {
        ...saved,
        grpcCode: 10,
        body: Uint8Array.from([9, 9, 9]),
      });
      expect(await store().findResponse(record.caller, record.idempotencyKey)).toEqual(saved);
      expect(await store().findResponse(fixtures.caller(), record.idempotencyKey)).toBeUndefined();
    });

    it("keeps an error answer (a google.rpc.Status) with its code", async () => {
      const record = (await store().insert(fixtures.payment())).record;
      const saved: StoredResponse = {
        fingerprint: record.fingerprint,
        paymentId: record.id,
        grpcCode: 9,
        body: new TextEncoder().encode("\u0008\u0009\u0012\u0006denied"),
      };
      await store().saveResponse(record.caller, record.idempotencyKey, saved);
      expect(await store().findResponse(record.caller, record.idempotencyKey)).toEqual(saved);
    });
  });
}
