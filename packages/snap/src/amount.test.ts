import { describe, expect, it } from "vitest";
import { formatSnapAmount, parseSnapAmount } from "./amount.ts";

describe("SNAP amounts", () => {
  it("formats minor units with exactly two decimals", () => {
    expect(formatSnapAmount(1_000_000n, "IDR")).toEqual({ value: "10000.00", currency: "IDR" });
    expect(formatSnapAmount(5n, "IDR").value).toBe("0.05");
    expect(formatSnapAmount(0n, "IDR").value).toBe("0.00");
    expect(formatSnapAmount(1_234_567_890_123_456_789n, "IDR").value).toBe("12345678901234567.89");
  });

  it("parses back to the same minor units", () => {
    for (const minor of [0n, 1n, 99n, 100n, 1_000_000n, 1_234_567_800n]) {
      expect(parseSnapAmount(formatSnapAmount(minor, "IDR"))).toBe(minor);
    }
  });

  it("refuses negatives and currencies without two decimals", () => {
    expect(() => formatSnapAmount(-1n, "IDR")).toThrow(/negative/);
    expect(() => formatSnapAmount(100n, "JPY")).toThrow(/JPY/);
    expect(() => formatSnapAmount(100n, "idr")).toThrow(/ISO 4217/);
  });

  it.each([
    "10000",
    "10000.0",
    "10000.000",
    "1e4",
    "10,000.00",
    "-1.00",
    "+1.00",
    " 1.00",
    ".50",
    "1.5O",
    "",
  ])("rejects value %j with a clear message", (value) => {
    expect(() => parseSnapAmount({ value, currency: "IDR" })).toThrow(/exactly two decimals/);
  });
});
