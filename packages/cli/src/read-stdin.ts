import { text } from "node:stream/consumers";

/**
 * Resolves a payload argument: `-` means "read it from stdin", so a QRIS string (which usually holds
 * spaces in the merchant name) can be piped in instead of quoted. One trailing newline is dropped;
 * anything else is kept, because a QRIS string is exact to the character.
 */
export async function argumentOrStdin(value: string): Promise<string> {
  if (value !== "-") return value;
  return (await text(process.stdin)).replace(/\r?\n$/, "");
}
