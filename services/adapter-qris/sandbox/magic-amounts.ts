import type { SnapCaseName } from "@paymesh/snap";

/** What a magic amount makes `qr-mpm-generate` do instead of a plain success. */
export interface MagicOutcome {
  /** The SNAP case answered. */
  caseName: SnapCaseName;
  /** Whether the QR is created (and counted as a charge) before the failure is answered. */
  createsCharge: boolean;
  /** Appended to the case's responseMessage so a log reader sees the failure was injected. */
  detail: string;
}

/**
 * Amounts (IDR minor units) that fail deterministically, so a test can hit each failure path with
 * an ordinary request and no control call. Documented in sandbox/README.md. Amounts this small
 * never occur in other tests by accident, and they still form valid QRIS amounts.
 */
const MAGIC: ReadonlyMap<bigint, MagicOutcome> = new Map([
  // Rp666.00: a decline; nothing is created, so a retry declines again.
  [66_600n, { caseName: "insufficientFunds", createsCharge: false, detail: "[simulated decline]" }],
  // Rp500.13: the bank fails before creating anything; safe to retry with the same partnerReferenceNo.
  [50_013n, { caseName: "generalError", createsCharge: false, detail: "[simulated error]" }],
  // Rp504.04: the bank creates the QR, then times out answering. The outcome is unknown to the
  // partner, and a query finds the payment: the case an adapter must never mark failed on a guess.
  [50_404n, { caseName: "timeout", createsCharge: true, detail: "[simulated timeout after creating]" }],
]);

/** The magic outcome of an amount, or undefined for an ordinary amount. */
export function magicOutcome(amountMinorUnits: bigint): MagicOutcome | undefined {
  return MAGIC.get(amountMinorUnits);
}
