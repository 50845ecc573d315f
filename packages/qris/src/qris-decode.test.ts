import { describe, expect, it } from "vitest";
import { crc16CcittFalse } from "./qris-crc.ts";
import { decodeQris } from "./qris-decode.ts";
import { isQrisError, type QrisErrorCode } from "./qris-error.ts";
import { MINI_PARTS, miniWith, STICKER, withCrc } from "./qris-test-fixtures.ts";

function rejection(payload: string): {
  code: QrisErrorCode;
  offset: number | undefined;
  tag: string | undefined;
  message: string;
} {
  try {
    decodeQris(payload);
  } catch (error) {
    if (!isQrisError(error)) throw error;
    return { code: error.code, offset: error.offset, tag: error.tag, message: error.message };
  }
  throw new Error("expected decodeQris to reject the payload");
}

describe("decodeQris on a hand-written sticker", () => {
  const payload = decodeQris(STICKER);

  it("reads every root field in order, templates split into children", () => {
    expect(payload.fields.map((f) => f.tag).join(" ")).toBe("00 01 26 27 51 52 53 55 56 58 59 60 61 62 63");
    expect(payload.fields[2]?.children).toEqual([
      { tag: "00", value: "ID.DANA.WWW" },
      { tag: "01", value: "936009153000012345" },
      { tag: "02", value: "ID2020081400001" },
      { tag: "03", value: "UMI" },
    ]);
    expect(payload.fields[5]).toEqual({ tag: "52", value: "5812" });
  });

  it("pulls out both acquirers and the NMID", () => {
    expect(payload.merchantAccounts).toEqual([
      {
        tag: "26",
        globalId: "ID.DANA.WWW",
        pan: "936009153000012345",
        merchantId: "ID2020081400001",
        criteria: "UMI",
      },
      {
        tag: "27",
        globalId: "ID.CO.BRI.WWW",
        pan: "936000020000098765",
        merchantId: "1234567890",
        criteria: "UKE",
      },
    ]);
    expect(payload.nmid).toBe("ID1020012345678");
  });

  it("reads the merchant, fee and additional data", () => {
    expect(payload).toMatchObject({
      pointOfInitiation: "static",
      mcc: "5812",
      currency: "360",
      countryCode: "ID",
      merchantName: "WARUNG MAKAN SEDERHANA BU SITI",
      merchantCity: "JAKARTA SELATAN",
      postalCode: "12190",
      tip: { kind: "fixed", value: "1500" },
      additionalData: { referenceLabel: "SHOP-REF-001", terminalLabel: "A01", "08": "BELI" },
      crc: "BCBD",
    });
    expect(payload.amount).toBeUndefined();
    expect(payload.additionalData?.billNumber).toBeUndefined();
  });

  it("accepts a lowercase CRC", () => {
    expect(decodeQris(`${STICKER.slice(0, -4)}bcbd`).crc).toBe("BCBD");
  });

  it("decodes the small dynamic payload with its amount", () => {
    const mini = decodeQris(withCrc(MINI_PARTS));
    expect(mini.pointOfInitiation).toBe("dynamic");
    expect(mini.amount).toBe("10000");
    expect(mini.nmid).toBeUndefined();
  });
});

describe("decodeQris rejects", () => {
  it("a length that is not two digits", () => {
    expect(rejection(STICKER.replace("5930WARUNG", "593XWARUNG"))).toMatchObject({
      code: "BAD_LENGTH",
      offset: 226,
      tag: "59",
    });
  });

  it("an off-by-one length, at the field it throws out of step", () => {
    // 59 now swallows the "6" of tag 60, so parsing resumes at 261 on "015J…": tag 01, length "5J".
    const error = rejection(STICKER.replace("5930WARUNG", "5931WARUNG"));
    expect(error).toMatchObject({ code: "BAD_LENGTH", offset: 261, tag: "01" });
    expect(error.message).toBe('tag 01 at offset 261: length "5J" is not two decimal digits');
  });

  it("a value cut short", () => {
    const error = rejection(STICKER.slice(0, 300));
    expect(error).toMatchObject({ code: "TRUNCATED", offset: 288, tag: "62" });
    expect(error.message).toBe(
      "tag 62 at offset 288: length 31 runs past the end of the payload (8 characters left)",
    );
  });

  it("a sub-field running past its template, with the absolute offset", () => {
    // 26.03 claims 4 characters but only "UMI" is left in the template.
    const error = rejection(
      withCrc(miniWith("26", "2644" + "0011ID.DANA.WWW" + "0118936009153000012345" + "0304UMI")),
    );
    expect(error).toMatchObject({ code: "TRUNCATED", offset: 53, tag: "26.03" });
  });

  it("a wrong CRC, naming expected and found", () => {
    const error = rejection(`${STICKER.slice(0, -4)}BCBE`);
    expect(error).toMatchObject({ code: "BAD_CRC", offset: 323, tag: "63" });
    expect(error.message).toBe('tag 63 at offset 323: CRC mismatch: expected BCBD, found "BCBE"');
  });

  it("a corrupted character under an intact CRC", () => {
    expect(rejection(STICKER.replace("BU SITI", "BU SITU"))).toMatchObject({ code: "BAD_CRC", offset: 323 });
  });

  it("a repeated root tag, at the second occurrence", () => {
    const parts = [...MINI_PARTS.slice(0, 5), "52045411", ...MINI_PARTS.slice(5)];
    expect(rejection(withCrc(parts))).toMatchObject({ code: "DUPLICATE_TAG", offset: 68, tag: "52" });
  });

  it("a missing country code", () => {
    const error = rejection(withCrc(miniWith("58", undefined)));
    expect(error).toMatchObject({ code: "MISSING_TAG", offset: undefined, tag: "58" });
    expect(error.message).toBe("tag 58: mandatory field is missing");
  });

  it("a CRC that is not the last field", () => {
    const head = `${MINI_PARTS.slice(0, -1).join("")}6304`;
    const payload = `${head}${crc16CcittFalse(head)}6007JAKARTA`;
    expect(rejection(payload)).toMatchObject({ code: "BAD_ORDER", offset: 91, tag: "63" });
  });

  it("a payload format indicator that is not first", () => {
    const parts = [MINI_PARTS[1] ?? "", MINI_PARTS[0] ?? "", ...MINI_PARTS.slice(2)];
    expect(rejection(withCrc(parts))).toMatchObject({ code: "BAD_ORDER", offset: 6, tag: "00" });
  });

  it("a payload over 512 characters", () => {
    const filler = `8099${"00950".padEnd(99, "X")}`;
    const payload = withCrc([
      ...MINI_PARTS,
      filler,
      filler.replace("8099", "8199"),
      filler.replace("8099", "8299"),
      filler.replace("8099", "8399"),
    ]);
    expect(payload.length).toBe(522);
    expect(rejection(payload)).toMatchObject({ code: "TOO_LONG", offset: 512, tag: undefined });
  });

  it("a zero amount", () => {
    const error = rejection(withCrc(miniWith("54", "54010")));
    expect(error).toMatchObject({ code: "BAD_VALUE", offset: 68, tag: "54" });
    expect(error.message).toBe('tag 54 at offset 68: amount "0" must be positive');
  });

  it("an amount of zero with decimals", () => {
    expect(rejection(withCrc(miniWith("54", "54040.00")))).toMatchObject({ code: "BAD_VALUE", offset: 68 });
  });

  it("an amount with three decimals", () => {
    const error = rejection(withCrc(miniWith("54", "540910000.505")));
    expect(error).toMatchObject({ code: "BAD_VALUE", offset: 68, tag: "54" });
    expect(error.message).toContain("more than two decimals");
  });

  it("an amount on a static payload", () => {
    const parts = miniWith("01", "010211");
    expect(rejection(withCrc(parts))).toMatchObject({ code: "BAD_VALUE", offset: 68, tag: "54" });
  });

  it("a PAN of the wrong length", () => {
    const error = rejection(withCrc(miniWith("26", "2636" + "0011ID.DANA.WWW" + "011793600915300001234")));
    expect(error).toMatchObject({ code: "BAD_VALUE", offset: 31, tag: "26.01" });
    expect(error.message).toBe('tag 26.01 at offset 31: PAN "93600915300001234" must be 18 digits, has 17');
  });

  it("a PAN outside the 9360 range", () => {
    const parts = miniWith("26", "2637" + "0011ID.DANA.WWW" + "0118123409153000012345");
    expect(rejection(withCrc(parts))).toMatchObject({ code: "BAD_VALUE", offset: 31, tag: "26.01" });
  });

  it("an unknown merchant criteria", () => {
    const parts = miniWith("26", "2644" + "0011ID.DANA.WWW" + "0118936009153000012345" + "0303UXX");
    expect(rejection(withCrc(parts))).toMatchObject({ code: "BAD_VALUE", offset: 53, tag: "26.03" });
  });

  it("a merchant account template without its global id", () => {
    const parts = miniWith("26", "2622" + "0118936009153000012345");
    expect(rejection(withCrc(parts))).toMatchObject({ code: "MISSING_TAG", offset: 12, tag: "26.00" });
  });

  it("a fixed fee indicator without the fee", () => {
    const parts = [...MINI_PARTS.slice(0, 6), "550202", ...MINI_PARTS.slice(6)];
    const error = rejection(withCrc(parts));
    expect(error).toMatchObject({ code: "MISSING_TAG", offset: 77, tag: "56" });
    expect(error.message).toBe('tag 56 at offset 77: missing, but tag 55 at offset 77 is "02"');
  });

  it("a percentage fee without its indicator", () => {
    const parts = [...MINI_PARTS.slice(0, 6), "570205", ...MINI_PARTS.slice(6)];
    expect(rejection(withCrc(parts))).toMatchObject({ code: "BAD_VALUE", offset: 77, tag: "57" });
  });

  it("a point of initiation other than 11 or 12", () => {
    expect(rejection(withCrc(miniWith("01", "010213")))).toMatchObject({
      code: "BAD_VALUE",
      offset: 6,
      tag: "01",
    });
  });

  it("a wrong QRIS repository id and a malformed NMID", () => {
    const badId = withCrc([...MINI_PARTS.slice(0, 3), "51190015ID.CO.QRIS.WWWX", ...MINI_PARTS.slice(3)]);
    expect(rejection(badId)).toMatchObject({ code: "BAD_VALUE", offset: 57, tag: "51.00" });
    const badNmid = withCrc([
      ...MINI_PARTS.slice(0, 3),
      "5136" + "0014ID.CO.QRIS.WWW" + "0214ID102001234567",
      ...MINI_PARTS.slice(3),
    ]);
    expect(rejection(badNmid)).toMatchObject({ code: "BAD_VALUE", offset: 75, tag: "51.02" });
  });

  it("a payload without any merchant account information", () => {
    expect(rejection(withCrc(miniWith("26", undefined)))).toMatchObject({ code: "MISSING_TAG", tag: "26" });
  });

  it("a non-numeric tag", () => {
    expect(rejection(withCrc(miniWith("59", "5A04TOKO")))).toMatchObject({
      code: "BAD_TAG",
      offset: 83,
      tag: "5A",
    });
  });

  it("a zero length", () => {
    expect(rejection(withCrc(miniWith("59", "5900")))).toMatchObject({
      code: "BAD_LENGTH",
      offset: 83,
      tag: "59",
    });
  });
});
