import { describe, expect, it } from "vitest";
import { crc16CcittFalse } from "./qris-crc.ts";
import { decodeQris } from "./qris-decode.ts";
import { toDynamicQris } from "./qris-dynamic.ts";
import type { QrisError } from "./qris-error.ts";
import { MINI_PARTS, miniWith, STICKER, withCrc } from "./qris-test-fixtures.ts";

// The expected result, built independently of the codec by a separate script from the sticker.
const STICKER_FOR_25000 =
  "000201010212" +
  "26630011ID.DANA.WWW01189360091530000123450215ID20200814000010303UMI" +
  "27600013ID.CO.BRI.WWW0118936000020000098765021012345678900303UKE" +
  "51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI" +
  "52045812530336054052500058" +
  "02ID5930WARUNG MAKAN SEDERHANA BU SITI6015JAKARTA SELATAN610512190" +
  "62280509ORDER-1230703A010804BELI63042C39";

describe("toDynamicQris", () => {
  const original = STICKER;
  const dynamic = toDynamicQris(STICKER, { amount: "25000", referenceLabel: "ORDER-123" });

  it("produces exactly the expected payload", () => {
    expect(dynamic).toBe(STICKER_FOR_25000);
  });

  it("switches to dynamic and places the amount right before 58", () => {
    const decoded = decodeQris(dynamic);
    expect(decoded.pointOfInitiation).toBe("dynamic");
    expect(decoded.amount).toBe("25000");
    const tags = decoded.fields.map((f) => f.tag);
    expect(tags.join(" ")).toBe("00 01 26 27 51 52 53 54 58 59 60 61 62 63");
  });

  it("carries a valid CRC", () => {
    expect(crc16CcittFalse(dynamic.slice(0, -4))).toBe(dynamic.slice(-4));
  });

  it("drops the sticker's fee and merges tag 62, keeping other sub-tags", () => {
    const decoded = decodeQris(dynamic);
    expect(decoded.tip).toBeUndefined();
    expect(decoded.additionalData).toEqual({
      referenceLabel: "ORDER-123",
      terminalLabel: "A01",
      "08": "BELI",
    });
  });

  it("preserves the merchant fields and leaves the original alone", () => {
    const before = decodeQris(STICKER);
    const after = decodeQris(dynamic);
    expect(after.merchantAccounts).toEqual(before.merchantAccounts);
    expect(after.nmid).toBe("ID1020012345678");
    expect(after.merchantName).toBe(before.merchantName);
    expect(after.postalCode).toBe("12190");
    expect(STICKER).toBe(original);
    expect(before.pointOfInitiation).toBe("static");
    expect(before.crc).toBe("BCBD");
  });

  it("adds fee tags after the amount and a new 62 when the sticker has none", () => {
    const staticMini = withCrc(miniWith("54", undefined).map((p) => (p === "010212" ? "010211" : p)));
    const result = toDynamicQris(staticMini, {
      amount: "12500.50",
      tip: { kind: "fixed", value: "2000" },
      billNumber: "INV-9",
      terminalLabel: "K1",
    });
    const decoded = decodeQris(result);
    expect(decoded.fields.map((f) => f.tag).join(" ")).toBe("00 01 26 52 53 54 55 56 58 59 60 62 63");
    expect(decoded.tip).toEqual({ kind: "fixed", value: "2000" });
    expect(decoded.additionalData).toEqual({ billNumber: "INV-9", terminalLabel: "K1" });
    expect(result).toContain("540812500.505502025604200058");
  });

  it("replaces the amount of an already dynamic payload", () => {
    const result = toDynamicQris(withCrc(MINI_PARTS), { amount: "7", tip: { kind: "prompt" } });
    const decoded = decodeQris(result);
    expect(decoded.amount).toBe("7");
    expect(decoded.tip).toEqual({ kind: "prompt" });
    expect(decoded.fields.filter((f) => f.tag === "54")).toHaveLength(1);
  });

  it("rejects an invalid amount, fee or label without touching the payload", () => {
    expect(() => toDynamicQris(STICKER, { amount: "0" })).toThrow(
      expect.objectContaining({ code: "BAD_VALUE", tag: "54" }) as QrisError,
    );
    expect(() => toDynamicQris(STICKER, { amount: "1", tip: { kind: "percentage", value: "100" } })).toThrow(
      expect.objectContaining({ code: "BAD_VALUE", tag: "57" }) as QrisError,
    );
    expect(() => toDynamicQris(STICKER, { amount: "1", billNumber: "B".repeat(26) })).toThrow(
      expect.objectContaining({ code: "BAD_VALUE", tag: "62.01" }) as QrisError,
    );
  });

  it("refuses a broken sticker", () => {
    expect(() => toDynamicQris(`${STICKER.slice(0, -4)}0000`, { amount: "1" })).toThrow(
      expect.objectContaining({ code: "BAD_CRC", offset: 323 }) as QrisError,
    );
  });
});
