// Midtrans's VA banks: its names for them, its custom VA number rules, and the two shapes its
// answers carry a VA number in.
import { VirtualAccountBank } from "@paymesh/proto";

/** Midtrans's names for the VA banks (`bank_transfer.bank`). */
export type MidtransBank = "bca" | "bni" | "bri" | "permata";

/** Paymesh's VA banks ↔ Midtrans's names. */
export const MIDTRANS_BANKS: ReadonlyMap<VirtualAccountBank, MidtransBank> = new Map([
  [VirtualAccountBank.BCA, "bca"],
  [VirtualAccountBank.BNI, "bni"],
  [VirtualAccountBank.BRI, "bri"],
  [VirtualAccountBank.PERMATA, "permata"],
]);

const BANKS_BY_NAME: ReadonlyMap<string, VirtualAccountBank> = new Map(
  [...MIDTRANS_BANKS].map(([bank, name]) => [name, bank]),
);

/** The digits a custom VA number may have at each bank, as Midtrans documents them. */
export const CUSTOM_VA_LENGTHS: Readonly<Record<MidtransBank, readonly number[]>> = {
  bca: [6, 7, 8, 9, 10, 11],
  bni: [8, 12],
  bri: [18],
  permata: [10],
};

/** Permata shows recipient_name on the payer's ATM; 20 characters is an *unconfirmed* limit. */
export const PERMATA_NAME_MAX = 20;

/** Where a transaction carries its VA number: a list for BCA, BNI and BRI, a flat field for Permata. */
export interface VaNumberFields {
  va_numbers?: Array<{ bank: string; va_number: string }>;
  permata_va_number?: string;
}

/** The VA number a transaction carries, in either of Midtrans's shapes. */
export function virtualAccountOf(
  transaction: VaNumberFields,
): { bank: VirtualAccountBank; vaNumber: string } | undefined {
  if (transaction.permata_va_number !== undefined && transaction.permata_va_number !== "") {
    return { bank: VirtualAccountBank.PERMATA, vaNumber: transaction.permata_va_number };
  }
  const first = transaction.va_numbers?.[0];
  if (first === undefined) return undefined;
  return { bank: BANKS_BY_NAME.get(first.bank) ?? VirtualAccountBank.UNSPECIFIED, vaNumber: first.va_number };
}
