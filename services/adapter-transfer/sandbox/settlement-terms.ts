import type { SimulatedSettlementTerms } from "@paymesh/sandbox-kit";
import { SIM_FEE } from "./disbursement-rules.ts";

/**
 * Xendit's terms as this simulator settles: the transactions report of a WIB day is a ledger,
 * complete once the day is over (an hour's margin), each completed payout charged the flat
 * Xendit fee and its VAT (11% of it).
 */
export const settlementTerms: SimulatedSettlementTerms = {
  provider: "xendit",
  timeZone: "Asia/Jakarta",
  settlementLagMs: 3_600_000,
  fees: [
    {
      currency: "IDR",
      flatMinor: String(SIM_FEE.xenditFee * 100),
      taxPpm: (SIM_FEE.valueAddedTax * 1_000_000) / SIM_FEE.xenditFee,
    },
  ],
};
