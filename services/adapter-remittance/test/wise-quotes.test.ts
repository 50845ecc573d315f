import { timestampDate } from "@bufbuild/protobuf/wkt";
import { GrpcCode } from "@paymesh/adapter-kit";
import { rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason } from "@paymesh/proto";
import { createTestClock, useFixture } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { startAdapter } from "./harness.ts";

const clock = createTestClock();

const fixture = useFixture(() => startAdapter({ clock: clock.now }));

describe("CreateQuote", () => {
  it("maps a Wise quote: exact rate string, amounts at each exponent, fees itemized, rate lock as expires_at", async () => {
    const { quote, exchanges } = await fixture().client.createQuote({
      sourceCurrency: "IDR",
      targetCurrency: "GBP",
      amount: { case: "sourceAmount", value: { currency: "IDR", minorUnits: 1_500_000_00n } },
    });
    expect(quote).toMatchObject({
      rate: "0.0000504",
      sourceAmount: { currency: "IDR", minorUnits: 1_500_000_00n },
      targetAmount: { currency: "GBP", minorUnits: 75_00n },
      fees: [{ type: "transferwise", amount: { currency: "IDR", minorUnits: 11_750_00n } }],
    });
    expect(quote?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(quote?.providerReference).toBe(quote?.id);
    expect(quote?.expiresAt && timestampDate(quote.expiresAt)).toEqual(new Date("2024-03-05T03:30:00Z"));
    expect(exchanges.map((e) => `${e.operation} ${e.responseStatus}`)).toEqual(["createQuote 200"]);
  });

  it("quotes a target amount in JPY at zero decimals", async () => {
    const { quote } = await fixture().client.createQuote({
      sourceCurrency: "USD",
      targetCurrency: "JPY",
      amount: { case: "targetAmount", value: { currency: "JPY", minorUnits: 10_000n } },
    });
    expect(quote).toMatchObject({
      rate: "149.62",
      sourceAmount: { currency: "USD", minorUnits: 67_65n },
      targetAmount: { currency: "JPY", minorUnits: 10_000n },
      fees: [{ type: "transferwise", amount: { currency: "USD", minorUnits: 81n } }],
    });
  });

  it("itemizes every non-zero fee part, in the source currency", async () => {
    const partnered = await startAdapter({ simulator: { partnerFeeBps: 100n } });
    try {
      const { quote } = await partnered.client.createQuote({
        sourceCurrency: "SGD",
        targetCurrency: "AUD",
        amount: { case: "sourceAmount", value: { currency: "SGD", minorUnits: 100_00n } },
      });
      expect(quote?.fees).toEqual([
        expect.objectContaining({
          type: "transferwise",
          amount: expect.objectContaining({ currency: "SGD", minorUnits: 1_15n }),
        }),
        expect.objectContaining({
          type: "partner",
          amount: expect.objectContaining({ currency: "SGD", minorUnits: 1_00n }),
        }),
      ]);
    } finally {
      await partnered.close();
    }
  });

  it("names the currency field of a route Wise does not serve: CURRENCY_NOT_SUPPORTED", async () => {
    const target = await rejection(
      fixture().client.createQuote({
        sourceCurrency: "IDR",
        targetCurrency: "CHF",
        amount: { case: "sourceAmount", value: { currency: "IDR", minorUnits: 1_000_000_00n } },
      }),
    );
    expect({ code: target.code, reason: target.reasonName, field: target.field }).toEqual({
      code: GrpcCode.INVALID_ARGUMENT,
      reason: "CURRENCY_NOT_SUPPORTED",
      field: "target_currency",
    });
    expect(target.metadata.provider_code).toBe("NOT_VALID");
    const source = await rejection(
      fixture().client.createQuote({
        sourceCurrency: "GBP",
        targetCurrency: "IDR",
        amount: { case: "sourceAmount", value: { currency: "GBP", minorUnits: 100_00n } },
      }),
    );
    expect({ reason: source.reason, field: source.field }).toEqual({
      reason: ErrorReason.CURRENCY_NOT_SUPPORTED,
      field: "source_currency",
    });
  });

  it("refuses bad currencies and amounts before asking Wise, naming the field", async () => {
    const cases: Array<[Parameters<ReturnType<typeof fixture>["client"]["createQuote"]>[0], string]> = [
      [{ sourceCurrency: "IDR", targetCurrency: "GBP" }, "amount"],
      [
        {
          sourceCurrency: "IDR",
          targetCurrency: "GBP",
          amount: { case: "sourceAmount", value: { currency: "SGD", minorUnits: 100n } },
        },
        "source_amount.currency",
      ],
      [
        {
          sourceCurrency: "IDR",
          targetCurrency: "GBP",
          amount: { case: "sourceAmount", value: { currency: "IDR", minorUnits: 100n } },
        },
        "source_amount.minor_units",
      ],
      [
        {
          sourceCurrency: "IDR",
          targetCurrency: "GBP",
          amount: { case: "targetAmount", value: { currency: "GBP", minorUnits: -5n } },
        },
        "target_amount.minor_units",
      ],
      [
        {
          sourceCurrency: "idr",
          targetCurrency: "GBP",
          amount: { case: "sourceAmount", value: { currency: "IDR", minorUnits: 100n } },
        },
        "source_currency",
      ],
      [
        {
          sourceCurrency: "USD",
          targetCurrency: "GBP",
          amount: { case: "sourceAmount", value: { currency: "USD", minorUnits: 50n } },
        },
        "source_amount.minor_units",
      ],
    ];
    const before = fixture().simulator.stats().quotes;
    for (const [request, field] of cases) {
      const error = await rejection(fixture().client.createQuote(request));
      expect(error.code, field).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(error.field, field).toBe(field);
    }
    expect(fixture().simulator.stats().quotes).toBe(before);
  });
});
