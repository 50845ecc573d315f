import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { adapterv1 } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { checkLine } from "./line-check.ts";
import { batchTotal, settlementLine, settlementLines } from "./settlement-mapping.ts";

const { FeeKind, SettlementType } = adapterv1;
const DAY = "2026-12-03";
const SETTLED = new Date("2026-12-04T02:00:00Z");
// The plain-object form of each message (not an already created one), so spreading it stays typed.
type SettlementInit = Exclude<MessageInitShape<typeof adapterv1.SettlementSchema>, adapterv1.Settlement>;
type BatchInit = Exclude<MessageInitShape<typeof adapterv1.SettlementBatchSchema>, adapterv1.SettlementBatch>;
const idr = (minorUnits: bigint) => ({ currency: "IDR", minorUnits });

/** A Midtrans-like VA line as an adapter sends it: Rp150.000, fee Rp4.000, PPN 11% of it. */
function wire(
  overrides: SettlementInit = {},
  omit: ReadonlyArray<"amount" | "net" | "settledAt"> = [],
): adapterv1.Settlement {
  const message = create(adapterv1.SettlementSchema, {
    paymentId: "pay-1",
    providerReference: "tx-1",
    type: SettlementType.PAYMENT,
    amount: idr(15_000_000n),
    fees: [
      { kind: FeeKind.PROVIDER_FEE, amount: idr(400_000n), description: "Midtrans fee" },
      { kind: FeeKind.TAX, amount: idr(44_000n), description: "PPN 11%" },
    ],
    fee: idr(444_000n),
    net: idr(14_556_000n),
    settledAt: timestampFromDate(SETTLED),
    providerStatus: "settlement",
    businessDate: DAY,
    batchId: "B-1",
    rawLine: '{"order_id":"pay-1"}',
    ...overrides,
  });
  for (const field of omit) delete message[field];
  return message;
}

describe("settlementLine", () => {
  it("keeps a payment's amounts positive, with the fee and tax itemized apart", () => {
    expect(settlementLine(wire())).toEqual({
      kind: "transaction",
      type: "payment",
      paymentId: "pay-1",
      providerReference: "tx-1",
      gross: 15_000_000n,
      providerFee: 400_000n,
      tax: 44_000n,
      net: 14_556_000n,
      currency: "IDR",
      businessDate: DAY,
      settledAt: SETTLED,
      batchId: "B-1",
      providerStatus: "settlement",
      rawLine: '{"order_id":"pay-1"}',
    });
  });

  it("signs money given back negative, fees still charged, and the engine's net check holds", () => {
    for (const type of [SettlementType.REFUND, SettlementType.REVERSAL, SettlementType.CHARGEBACK]) {
      const line = settlementLine(
        wire({
          type,
          amount: idr(1_000_000n),
          fees: [{ kind: FeeKind.PROVIDER_FEE, amount: idr(5_000n) }],
          net: idr(995_000n),
        }),
      );
      expect(line).toMatchObject({ gross: -1_000_000n, providerFee: 5_000n, tax: 0n, net: -1_005_000n });
      expect(checkLine(line, DAY).line.kind).toBe("transaction");
    }
    expect(
      settlementLine(wire({ type: SettlementType.FEE, fees: [], fee: idr(0n), net: idr(15_000_000n) })),
    ).toMatchObject({
      type: "fee",
      gross: -15_000_000n,
      net: -15_000_000n,
    });
  });

  it("carries a provider's arithmetic error through, so the engine still sees it", () => {
    const payment = settlementLine(wire({ net: idr(14_556_100n) }));
    expect(checkLine(payment, DAY).line).toMatchObject({
      kind: "unreadable",
      reason: expect.stringContaining("net"),
    });
    const refund = settlementLine(wire({ type: SettlementType.REFUND, net: idr(14_556_100n) }));
    expect(refund).toMatchObject({ gross: -15_000_000n, net: -15_000_000n - 444_000n - 100n });
    expect(checkLine(refund, DAY).line.kind).toBe("unreadable");
  });

  it("counts withholding tax as tax and other deductions as the provider's fee", () => {
    const line = settlementLine(
      wire({
        fees: [
          { kind: FeeKind.PROVIDER_FEE, amount: idr(400_000n) },
          { kind: FeeKind.TAX, amount: idr(44_000n) },
          { kind: FeeKind.WITHHOLDING_TAX, amount: idr(8_000n) },
          { kind: FeeKind.OTHER, amount: idr(1_000n) },
        ],
        net: idr(15_000_000n - 453_000n),
      }),
    );
    expect(line).toMatchObject({ providerFee: 401_000n, tax: 52_000n, net: 14_547_000n });
  });

  it("reads a first-version line by its fee total, and computes net when none is stated", () => {
    const line = settlementLine(wire({ fees: [], fee: idr(444_000n) }, ["net"]));
    expect(line).toMatchObject({ providerFee: 444_000n, tax: 0n, net: 14_556_000n });
  });

  it("leaves out the payment id a report does not echo", () => {
    expect(settlementLine(wire({ paymentId: "" }))).not.toHaveProperty("paymentId");
  });

  it("turns the adapter's marker and lines it cannot read into unreadable lines with the reason", () => {
    const raw = "garbled";
    expect(
      settlementLine(wire({ unreadableReason: 'gross "17.000,00" is not an amount', rawLine: raw })),
    ).toEqual({
      kind: "unreadable",
      reason: 'gross "17.000,00" is not an amount',
      rawLine: raw,
      // Still a line of its batch: the batch's declared count includes it.
      batchId: "B-1",
    });
    const reasons = [
      wire({ type: SettlementType.UNSPECIFIED }),
      wire({}, ["amount"]),
      wire({ fees: [{ kind: FeeKind.PROVIDER_FEE, amount: { currency: "USD", minorUnits: 1n } }] }),
      wire({ net: { currency: "USD", minorUnits: 1n } }),
      wire({}, ["settledAt"]),
    ].map((line) => {
      const mapped = settlementLine(line);
      return mapped.kind === "unreadable" ? mapped.reason : mapped.kind;
    });
    expect(reasons).toEqual([
      "settlement type 0 is not one the engine knows",
      "amount is missing",
      "a fee is in USD, the line in IDR",
      "net is in USD, the line in IDR",
      "settled_at is missing",
    ]);
  });
});

describe("batchTotal", () => {
  const batch = (overrides: BatchInit = {}, omitNet = false) => {
    const message = create(adapterv1.SettlementBatchSchema, {
      batchId: "B-1",
      businessDate: DAY,
      lineCount: 2n,
      grossTotal: idr(30_000_000n),
      netTotal: idr(29_112_000n),
      rawLine: "TRAILER|2|300000.00",
      ...overrides,
    });
    if (omitNet) delete message.netTotal;
    return message;
  };

  it("takes the declared totals as declared", () => {
    expect(batchTotal(batch())).toEqual({
      kind: "batch_total",
      batchId: "B-1",
      currency: "IDR",
      gross: 30_000_000n,
      net: 29_112_000n,
      lineCount: 2,
      businessDate: DAY,
      rawLine: "TRAILER|2|300000.00",
    });
    expect(batchTotal(batch({ lineCount: 0n }))).not.toHaveProperty("lineCount");
  });

  it("cannot read totals without both sums in one currency", () => {
    expect(batchTotal(batch({}, true))).toMatchObject({ kind: "unreadable" });
    expect(batchTotal(batch({ netTotal: { currency: "USD", minorUnits: 1n } }))).toMatchObject({
      kind: "unreadable",
      reason: "batch gross total in IDR, net total in USD",
    });
  });
});

describe("settlementLines", () => {
  it("streams pages in order, a batch's totals after its lines, pulling a page only when asked", async () => {
    let pulled = 0;
    async function* pages(): AsyncGenerator<adapterv1.ListSettlementsResponse> {
      for (let page = 0; page < 3; page += 1) {
        pulled += 1;
        yield create(adapterv1.ListSettlementsResponseSchema, {
          settlements: [
            wire({ providerReference: `tx-${page}-a` }),
            wire({ providerReference: `tx-${page}-b` }),
          ],
        });
      }
      pulled += 1;
      yield create(adapterv1.ListSettlementsResponseSchema, {
        batch: { batchId: "B-1", businessDate: DAY, grossTotal: idr(1n), netTotal: idr(1n) },
      });
    }
    const lines = settlementLines(pages());
    const first = await lines.next();
    expect(first.value).toMatchObject({ providerReference: "tx-0-a" });
    expect(pulled).toBe(1);
    const rest = [];
    for await (const line of lines)
      rest.push(line.kind === "transaction" ? line.providerReference : line.kind);
    expect(rest).toEqual(["tx-0-b", "tx-1-a", "tx-1-b", "tx-2-a", "tx-2-b", "batch_total"]);
  });
});
