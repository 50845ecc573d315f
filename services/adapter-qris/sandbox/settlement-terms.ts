import type { SimulatedSettlementTerms } from "@paymesh/sandbox-kit";
import { MDR_PER_MILLE, VAT_PERCENT } from "./settlement-report.ts";

/**
 * The acquirer's terms as this simulator settles: a file per WIB day, complete the next day
 * (T+1), the 0.7% MDR and PPN 11% on it. The simulator rounds both down to the rupiah, as
 * acquirers' files do; a reconciler's schedule rounds to the sen, so only amounts whose MDR is a
 * whole hundred rupiah price the same both ways.
 */
export const settlementTerms: SimulatedSettlementTerms = {
  provider: "snap-qris",
  timeZone: "Asia/Jakarta",
  settlementLagMs: 86_400_000,
  fees: [{ currency: "IDR", ratePpm: Number(MDR_PER_MILLE) * 1_000, taxPpm: Number(VAT_PERCENT) * 10_000 }],
};
