import { describe, expect, it } from "vitest";
import { crc16CcittFalse } from "./qris-crc.ts";

describe("crc16CcittFalse", () => {
  it("matches the CRC-16/CCITT-FALSE check value", () => {
    expect(crc16CcittFalse("123456789")).toBe("29B1");
  });

  it("returns the initial value for empty input, padded to four digits", () => {
    expect(crc16CcittFalse("")).toBe("FFFF");
  });

  it("pads small results with leading zeros and uses uppercase hex", () => {
    // Values computed with an independent bitwise implementation.
    expect(crc16CcittFalse("A")).toBe("B915");
    expect(crc16CcittFalse("Q1")).toBe("06F3");
  });
});
