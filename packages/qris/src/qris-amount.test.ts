import { describe, expect, it } from "vitest";
import { formatQrisAmount, parseQrisAmount } from "./qris-amount.ts";
import type { QrisError } from "./qris-error.ts";

describe("formatQrisAmount", () => {
  it.each([
    [1000000n, "10000"],
    [1000050n, "10000.50"],
    [1000005n, "10000.05"],
    [1n, "0.01"],
    [100n, "1"],
    [999_999_999_999n, "9999999999.99"],
  ])("formats %s minor units as %s", (minor, text) => {
    expect(formatQrisAmount(minor)).toBe(text);
  });

  it.each([0n, -100n])("rejects %s", (minor) => {
    expect(() => formatQrisAmount(minor)).toThrow(
      expect.objectContaining({ code: "BAD_VALUE", tag: "54" }) as QrisError,
    );
  });

  it("rejects an amount that does not fit in 13 characters", () => {
    expect(() => formatQrisAmount(100_000_000_000_001n)).toThrow(/does not fit in 13 characters/);
  });
});

describe("parseQrisAmount", () => {
  it.each([
    ["10000", 1000000n],
    ["10000.5", 1000050n],
    ["10000.05", 1000005n],
    ["0.01", 1n],
  ])("parses %s as %s minor units", (text, minor) => {
    expect(parseQrisAmount(text)).toBe(minor);
  });

  it.each(["0", "1.234", "1,5", "", ".5", "10."])("rejects %j", (text) => {
    expect(() => parseQrisAmount(text)).toThrow(expect.objectContaining({ code: "BAD_VALUE" }) as QrisError);
  });
});
