import { adapterv1, ErrorReason, PaymentMethodType } from "@paymesh/proto";
import { afterEach, describe, expect, it } from "vitest";
import type { PaymentProvider, SettlementItem } from "./payment-provider.ts";
import { GrpcCode, isPaymeshError, PaymeshError } from "./paymesh-error.ts";
import {
  checkBusinessDate,
  pageThrough,
  readLine,
  reportAmount,
  reportText,
  UnreadableLine,
} from "./settlement-report.ts";
import { type ServedForTest, serveForTest } from "./testing/served-adapter.ts";

const place = { businessDate: "2024-03-05", batchId: "B1", rawLine: "raw" };
const facts = {
  paymentId: "pay_1",
  providerReference: "ref-1",
  type: adapterv1.SettlementType.PAYMENT,
  currency: "IDR",
  gross: 1_000_000n,
  fees: [{ kind: adapterv1.FeeKind.PROVIDER_FEE, amount: 7_000n, description: "MDR" }],
  providerStatus: "SUCCESS",
};

describe("readLine", () => {
  it("builds the line: fee the sum of fees, net gross − fees when the report states none", () => {
    expect(readLine(place, () => facts)).toMatchObject({
      fee: { currency: "IDR", minorUnits: 7_000n },
      net: { currency: "IDR", minorUnits: 993_000n },
      batchId: "B1",
      rawLine: "raw",
    });
    expect(readLine(place, () => ({ ...facts, net: 990_000n })).net).toEqual({
      currency: "IDR",
      minorUnits: 990_000n,
    });
  });

  it("marks a line it cannot read instead of failing the report", () => {
    const line = readLine(place, () => ({
      ...facts,
      gross: reportAmount("gross_amount", "17.000,00", "IDR"),
    }));
    expect(line).toEqual({ ...place, unreadableReason: 'gross_amount "17.000,00" is not an amount in IDR' });
    expect(() => readLine(place, () => ({ ...facts, currency: reportText("currency", "") }))).not.toThrow();
    expect(() => reportAmount("amount", "1", "XXX")).toThrow(UnreadableLine);
    // Anything but an unreadable line is the report's problem, not the line's.
    expect(() =>
      readLine(place, () => {
        throw new RangeError("bug");
      }),
    ).toThrow(RangeError);
  });
});

describe("checkBusinessDate", () => {
  it("takes a real calendar day only", () => {
    expect(checkBusinessDate("2024-02-29")).toBe("2024-02-29");
    for (const bad of ["2023-02-29", "2024-13-01", "5 March", ""]) {
      const error = (() => {
        try {
          checkBusinessDate(bad);
        } catch (caught) {
          return caught;
        }
      })();
      expect(isPaymeshError(error) && error.code === GrpcCode.INVALID_ARGUMENT).toBe(true);
    }
  });
});

describe("pageThrough", () => {
  it("asks for the next page only after the last one's messages were taken", async () => {
    const asked: (string | undefined)[] = [];
    const pages = pageThrough(async (cursor) => {
      asked.push(cursor);
      const next = cursor === undefined ? "2" : cursor === "2" ? "3" : undefined;
      return { messages: [{ settlements: [readLine(place, () => facts)] }], next };
    });
    await pages.next();
    expect(asked).toEqual([undefined]);
    await pages.next();
    expect(asked).toEqual([undefined, "2"]);
    expect((await pages.next()).done).toBe(false);
    expect((await pages.next()).done).toBe(true);
  });

  it("fails UNAVAILABLE when the provider's cursor does not move", async () => {
    const pages = pageThrough(async () => ({ messages: [], next: "same" }));
    const error = await (async () => {
      for await (const _ of pages) void _;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymeshError);
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_ERROR });
  });
});

describe("serveAdapter's ListSettlements", () => {
  let served: ServedForTest | undefined;
  afterEach(() => served?.close());

  it("sends pages and batch totals as they come, and ends with the provider's error", async () => {
    const provider: PaymentProvider = {
      describe: () => ({ provider: "t", methods: [PaymentMethodType.QRIS], currencies: ["IDR"] }),
      createPayment: () => Promise.reject(new Error("unused")),
      getPaymentStatus: () => Promise.reject(new Error("unused")),
      async *listSettlements(request): AsyncGenerator<SettlementItem> {
        checkBusinessDate(request.date);
        yield { settlements: [readLine(place, () => facts)] };
        yield { batch: { batchId: "B1", lineCount: 1n } };
        throw new PaymeshError(ErrorReason.PROVIDER_ERROR, "report cut off", { code: GrpcCode.UNAVAILABLE });
      },
    };
    served = await serveForTest(provider);
    const received: adapterv1.ListSettlementsResponse[] = [];
    const options = { deadline: new Date(Date.now() + 10_000) };
    const error = await (async () => {
      for await (const message of served.client.listSettlements({ date: "2024-03-05" }, options))
        received.push(message);
    })().catch((caught: unknown) => caught);
    expect(received.map((message) => [message.settlements.length, message.batch?.batchId])).toEqual([
      [1, undefined],
      [0, "B1"],
    ]);
    expect(error).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_ERROR });
    const bad = await (async () => {
      for await (const _ of served.client.listSettlements({ date: "tomorrow" }, options)) void _;
    })().catch((caught: unknown) => caught);
    expect(bad).toMatchObject({ code: GrpcCode.INVALID_ARGUMENT, reason: ErrorReason.INVALID_FIELD });
  });
});
