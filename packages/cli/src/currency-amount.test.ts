import { describe, expect, it } from "vitest";
import { isCliError } from "./cli-error.ts";
import { formatMoney, parseCurrency, parseCurrencyAmount } from "./currency-amount.ts";

function problem(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (isCliError(error)) return error.message;
    throw error;
  }
  throw new Error("accepted");
}

describe("parseCurrency", () => {
  it.each([
    ["USD", "USD"],
    ["jpy", "JPY"],
    [" gbp ", "GBP"],
  ])("reads %j as %s", (text, code) => {
    expect(parseCurrency(text, "--to")).toBe(code);
  });

  it.each(["US", "USDT", "U5D", "", "$"])("refuses %j as not a code", (text) => {
    expect(problem(() => parseCurrency(text, "--to"))).toBe(
      `--to ${JSON.stringify(text)} is not an ISO 4217 currency code like USD or IDR`,
    );
  });

  it("refuses a code whose exponent Paymesh does not know, rather than guessing it", () => {
    expect(problem(() => parseCurrency("XAU", "--from"))).toBe(
      "--from XAU is not a currency Paymesh supports (its minor unit is unknown)",
    );
  });
});

describe("parseCurrencyAmount", () => {
  it.each([
    ["100", "USD", 10_000n],
    ["100.5", "USD", 10_050n],
    ["100.50", "USD", 10_050n],
    ["0.01", "GBP", 1n],
    ["10000", "JPY", 10_000n],
    ["1", "KRW", 1n],
    ["1.234", "KWD", 1_234n],
    ["1.2", "KWD", 1_200n],
    ["1500000", "IDR", 150_000_000n],
    ["92233720368547758.07", "USD", 9_223_372_036_854_775_807n],
  ])("reads %s %s as %d minor units", (text, currency, minorUnits) => {
    expect(parseCurrencyAmount(text, currency)).toBe(minorUnits);
  });

  it("refuses decimals a currency does not have instead of rounding", () => {
    expect(problem(() => parseCurrencyAmount("10000.5", "JPY"))).toBe(
      'amount "10000.5" has decimals; JPY has none',
    );
    // Even zeros: "10000.0" JPY suggests the amount was meant in another currency.
    expect(problem(() => parseCurrencyAmount("10000.0", "JPY"))).toBe(
      'amount "10000.0" has decimals; JPY has none',
    );
    expect(problem(() => parseCurrencyAmount("1.005", "USD"))).toBe(
      'amount "1.005" has more than 2 decimals; USD has 2',
    );
    expect(problem(() => parseCurrencyAmount("1.2345", "KWD"))).toBe(
      'amount "1.2345" has more than 3 decimals; KWD has 3',
    );
  });

  it("uses the rupiah rules for IDR, thousands-grouping hint included", () => {
    expect(problem(() => parseCurrencyAmount("1.500.000", "IDR"))).toContain("for Rp1.500.000 write 1500000");
  });

  it.each([
    ["0", "must be positive"],
    ["0.00", "must be positive"],
    ["-5", "must be positive"],
    ["", "amount is empty; give USD, e.g. 100.50"],
    ["1,5", 'amount "1,5" is not an amount of USD; write digits like 100.50'],
    ["1e3", "is not an amount of USD"],
    [".5", "is not an amount of USD"],
    ["92233720368547758.08", "is too large"],
  ])("refuses %j (%s)", (text, message) => {
    expect(problem(() => parseCurrencyAmount(text, "USD"))).toContain(message);
  });

  it("gives a JPY example without decimals", () => {
    expect(problem(() => parseCurrencyAmount("abc", "JPY"))).toBe(
      'amount "abc" is not an amount of JPY; write digits like 10000',
    );
  });
});

describe("formatMoney", () => {
  it("writes minor units at the currency's exponent", () => {
    expect(formatMoney({ currency: "IDR", minorUnits: 150_000_000n })).toBe("1500000.00 IDR");
    expect(formatMoney({ currency: "JPY", minorUnits: 10_000n })).toBe("10000 JPY");
    expect(formatMoney({ currency: "KWD", minorUnits: 1_234n })).toBe("1.234 KWD");
    expect(formatMoney({ currency: "USD", minorUnits: -5n })).toBe("-0.05 USD");
  });

  it("shows raw minor units for a currency it cannot scale", () => {
    expect(formatMoney({ currency: "XAU", minorUnits: 7n })).toBe("7 minor units of XAU");
    expect(formatMoney(undefined)).toBe("(none)");
  });
});
