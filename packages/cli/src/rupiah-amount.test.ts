import { describe, expect, it } from "vitest";
import { isCliError } from "./cli-error.ts";
import { parseRupiahAmount } from "./rupiah-amount.ts";

function problem(text: string): string {
  try {
    parseRupiahAmount(text);
  } catch (error) {
    if (isCliError(error)) return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(text)} was accepted`);
}

describe("parseRupiahAmount", () => {
  it.each([
    ["10000", 1_000_000n],
    ["10000.5", 1_000_050n],
    ["10000.50", 1_000_050n],
    ["10000.05", 1_000_005n],
    ["0.01", 1n],
    ["1", 100n],
    ["25000", 2_500_000n],
    ["92233720368547758.07", 9_223_372_036_854_775_807n],
  ])("reads %s as %d minor units", (text, minorUnits) => {
    expect(parseRupiahAmount(text)).toBe(minorUnits);
  });

  it("rejects more decimals than IDR has instead of rounding", () => {
    expect(problem("10000.501")).toBe('amount "10000.501" has more than 2 decimals; IDR has 2');
    expect(problem("10000.500")).toContain("more than 2 decimals");
  });

  it("points out Indonesian thousands grouping, which would otherwise mean a hundredth of the amount", () => {
    expect(problem("10.000")).toBe(
      'amount "10.000" has more than 2 decimals; for Rp10.000 write 10000 (no thousands separator)',
    );
    expect(problem("1.250.000")).toContain("write 1250000");
  });

  it.each(["0", "0.00", "00", "0.0"])("rejects zero (%s)", (text) => {
    expect(problem(text)).toBe(`amount ${JSON.stringify(text)} must be positive`);
  });

  it.each(["-1", "-10000.50", " -5"])("rejects negatives (%s)", (text) => {
    expect(problem(text)).toContain("must be positive");
  });

  it.each([
    "abc",
    "1e5",
    "10,000",
    "+100",
    ".5",
    "5.",
    "Rp10000",
    "10000 ",
    "0x10",
    "١٠٠",
    "Infinity",
    "NaN",
  ])("rejects %j as not a number of rupiah", (text) => {
    expect(problem(text)).toContain("is not a number of rupiah");
  });

  it("rejects an empty amount", () => {
    expect(problem("")).toContain("amount is empty");
  });

  it("rejects amounts beyond int64 minor units", () => {
    expect(problem("92233720368547758.08")).toBe('amount "92233720368547758.08" is too large');
  });
});
