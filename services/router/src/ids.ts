import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/**
 * Payment ids: "pay_" + 10 characters of millisecond time + 16 random ones. They sort by creation
 * time, which keeps list pages stable, and are unguessable.
 */
export function createIdGenerator(
  options: { clock?: () => Date; random?: (bytes: number) => Buffer } = {},
): (prefix: string) => string {
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? randomBytes;
  return (prefix) => {
    let time = BigInt(clock().getTime());
    let timePart = "";
    for (let i = 0; i < 10; i++) {
      timePart = (ALPHABET[Number(time % 32n)] ?? "0") + timePart;
      time /= 32n;
    }
    const bytes = random(16);
    let randomPart = "";
    for (const byte of bytes) randomPart += ALPHABET[byte % 32];
    return `${prefix}_${timePart}${randomPart}`;
  };
}
