import type { SimulatedSettlementTerms } from "@paymesh/sandbox-kit";
import { MDR_PER_MILLE, VAT_PERCENT } from "./settlement-report.ts";

/**
 * The acquirer's terms as this simulator settles: a file per WIB day, complete the next day
 * (T+1), the 0.7% MDR and PPN 11% on it, each rounded down to the rupiah (100 sen) as acquirers'
 * files show them (qrisPrice).
 */
export const settlementTerms: SimulatedSettlementTerms = {
  provider: "snap-qris",
  timeZone: "Asia/Jakarta",
  settlementLagMs: 86_400_000,
  fees: [
    {
      currency: "IDR",
      ratePpm: Number(MDR_PER_MILLE) * 1_000,
      taxPpm: Number(VAT_PERCENT) * 10_000,
      rounding: "down",
      roundingUnitMinor: "100",
    },
  ],
};
