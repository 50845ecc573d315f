// CRC-16/CCITT-FALSE as QRIS (and EMVCo MPM) require for tag 63: polynomial 0x1021, initial value
// 0xFFFF, no input or output reflection, no final xor.
const POLYNOMIAL = 0x1021;

const TABLE: readonly number[] = buildTable();

function buildTable(): number[] {
  const table: number[] = [];
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ POLYNOMIAL) & 0xffff : (crc << 1) & 0xffff;
    }
    table.push(crc);
  }
  return table;
}

/**
 * Checksum for QRIS tag 63, returned as the 4 uppercase hex digits the payload carries. The input is
 * hashed as UTF-8, which for the ASCII character set of QRIS payloads is the same as hashing each
 * character's code. Check value: `crc16CcittFalse("123456789") === "29B1"`.
 */
export function crc16CcittFalse(input: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(input)) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}
