import { describe, expect, it } from "vitest";
import { decodeQris } from "./qris-decode.ts";
import { encodeQris } from "./qris-encode.ts";
import type { QrisError } from "./qris-error.ts";
import { STICKER, withCrc } from "./qris-test-fixtures.ts";
import type { QrisField } from "./qris-types.ts";

const FIELDS: QrisField[] = [
  { tag: "01", value: "12" },
  {
    tag: "26",
    value: "",
    children: [
      { tag: "00", value: "ID.CO.BRI.WWW" },
      { tag: "01", value: "936000020000098765" },
      { tag: "03", value: "UME" },
    ],
  },
  { tag: "52", value: "5411" },
  { tag: "53", value: "360" },
  { tag: "54", value: "150000.25" },
  { tag: "55", value: "03" },
  { tag: "57", value: "2.5" },
  { tag: "58", value: "ID" },
  { tag: "59", value: "TOKO SERBA ADA" },
  { tag: "60", value: "BANDUNG" },
  { tag: "62", value: "", children: [{ tag: "01", value: "INV-77" }] },
  { tag: "00", value: "01" },
];

describe("encodeQris", () => {
  it("puts 00 first, encodes children and appends the CRC", () => {
    const payload = encodeQris(FIELDS);
    expect(payload).toBe(
      withCrc([
        "000201",
        "010212",
        "2646" + "0013ID.CO.BRI.WWW" + "0118936000020000098765" + "0303UME",
        "52045411",
        "5303360",
        "5409150000.25",
        "550203",
        "57032.5",
        "5802ID",
        "5914TOKO SERBA ADA",
        "6007BANDUNG",
        "6210" + "0106INV-77",
      ]),
    );
  });

  it("round-trips through decodeQris", () => {
    const decoded = decodeQris(encodeQris(FIELDS));
    expect(decoded.amount).toBe("150000.25");
    expect(decoded.tip).toEqual({ kind: "percentage", value: "2.5" });
    expect(decoded.merchantAccounts).toEqual([
      { tag: "26", globalId: "ID.CO.BRI.WWW", pan: "936000020000098765", criteria: "UME" },
    ]);
    expect(decoded.additionalData).toEqual({ billNumber: "INV-77" });
    expect(encodeQris(decoded.fields)).toBe(encodeQris(FIELDS));
  });

  it("re-encodes a decoded sticker to the identical string, replacing the given 63", () => {
    expect(encodeQris(decodeQris(STICKER).fields)).toBe(STICKER);
  });

  it("adds the payload format indicator when absent", () => {
    expect(encodeQris(FIELDS.filter((f) => f.tag !== "00")).startsWith("000201010212")).toBe(true);
  });

  it("rejects a value longer than 99 characters, naming where it would start", () => {
    const fields = FIELDS.map((f) => (f.tag === "59" ? { tag: "59", value: "N".repeat(100) } : f));
    expect(() => encodeQris(fields)).toThrow(
      expect.objectContaining({ code: "BAD_LENGTH", offset: 109, tag: "59" }) as QrisError,
    );
  });

  it("rejects a tag that is not two digits", () => {
    expect(() => encodeQris([...FIELDS, { tag: "7", value: "X" }])).toThrow(
      expect.objectContaining({ code: "BAD_TAG", tag: "7" }) as QrisError,
    );
  });

  it("rejects a result over 512 characters", () => {
    const filler = (tag: string): QrisField => ({ tag, value: "X".repeat(99) });
    const fields = [...FIELDS, filler("80"), filler("81"), filler("82"), filler("83")];
    expect(() => encodeQris(fields)).toThrow(
      expect.objectContaining({ code: "TOO_LONG", offset: 512 }) as QrisError,
    );
  });

  it("rejects fields the decoder would reject", () => {
    expect(() => encodeQris(FIELDS.filter((f) => f.tag !== "59"))).toThrow(
      expect.objectContaining({ code: "MISSING_TAG", tag: "59" }) as QrisError,
    );
  });
});
