// Payloads shared by the tests. Written out by hand, not produced by encodeQris, so that the decoder
// is checked against strings its own encoder did not make.
import { crc16CcittFalse } from "./qris-crc.ts";

/**
 * A static sticker as an Indonesian warung would have: two acquirers (26 DANA, 27 BRI), the QRIS
 * repository template 51, a fixed convenience fee (55 = 02, 56 = 1500), a 30-character merchant name
 * (longer than EMVCo's 25, as real stickers often are) and tag 62 with reference label, terminal
 * label and purpose (08). Lengths counted by hand; CRC computed once with an independent script.
 *
 * Root fields and offsets: 00@0 01@6 26@12 (len 63) 27@79 (60) 51@143 (44) 52@191 53@199 55@206
 * 56@212 58@220 59@226 (30) 60@260 (15) 61@279 62@288 (31) 63@323; total 331 characters.
 */
export const STICKER =
  "000201" +
  "010211" +
  "2663" +
  "0011ID.DANA.WWW" +
  "0118936009153000012345" +
  "0215ID2020081400001" +
  "0303UMI" +
  "2760" +
  "0013ID.CO.BRI.WWW" +
  "0118936000020000098765" +
  "02101234567890" +
  "0303UKE" +
  "5144" +
  "0014ID.CO.QRIS.WWW" +
  "0215ID1020012345678" +
  "0303UMI" +
  "52045812" +
  "5303360" +
  "550202" +
  "56041500" +
  "5802ID" +
  "5930WARUNG MAKAN SEDERHANA BU SITI" +
  "6015JAKARTA SELATAN" +
  "610512190" +
  "6231" +
  "0512SHOP-REF-001" +
  "0703A01" +
  "0804BELI" +
  "6304BCBD";

/**
 * A small dynamic payload to break one field at a time. Offsets: 00@0 01@6 26@12 (26.00@16,
 * 26.01@31) 52@53 53@61 54@68 58@77 59@83 60@91, then 63@102.
 */
export const MINI_PARTS: readonly string[] = [
  "000201",
  "010212",
  "2637" + "0011ID.DANA.WWW" + "0118936009153000012345",
  "52045812",
  "5303360",
  "540510000",
  "5802ID",
  "5904TOKO",
  "6007JAKARTA",
];

/** Joins parts and appends a correct `6304` CRC, so a test breaks only the rule it is about. */
export function withCrc(parts: readonly string[]): string {
  const body = `${parts.join("")}6304`;
  return body + crc16CcittFalse(body);
}

/** MINI_PARTS with the part for `tag` replaced by `replacement`, or removed when it is undefined. */
export function miniWith(tag: string, replacement: string | undefined): string[] {
  const parts: string[] = [];
  for (const part of MINI_PARTS) {
    if (!part.startsWith(tag)) parts.push(part);
    else if (replacement !== undefined) parts.push(replacement);
  }
  return parts;
}
