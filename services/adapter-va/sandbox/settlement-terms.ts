import type { SimulatedSettlementTerms } from "@paymesh/sandbox-kit";
import { DEFAULT_FEE_MINOR_UNITS } from "./options.ts";
import { VAT_PERCENT } from "./settlement-report.ts";

/**
 * Midtrans's terms as this simulator (with its default fee) settles: a report per WIB day,
 * complete the next day (T+1), the flat VA fee and PPN 11% on it.
 */
export const settlementTerms: SimulatedSettlementTerms = {
  provider: "midtrans",
  timeZone: "Asia/Jakarta",
  settlementLagMs: 86_400_000,
  fees: [
    {
      currency: "IDR",
      flatMinor: String(DEFAULT_FEE_MINOR_UNITS),
      taxPpm: Number(VAT_PERCENT) * 10_000,
    },
  ],
};
