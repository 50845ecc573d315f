import type { SimulatedSettlementTerms } from "@paymesh/sandbox-kit";
import { defaultFees } from "./options.ts";

const idr = defaultFees.IDR;

/**
 * Wise's terms as this simulator (with its default fees) books them: a balance statement per UTC
 * day, complete once the day is over (an hour's margin), each IDR transfer charged the fixed fee
 * plus its basis points rounded up to the sen (pricing.ts), no tax.
 */
export const settlementTerms: SimulatedSettlementTerms = {
  provider: "wise",
  timeZone: "UTC",
  settlementLagMs: 3_600_000,
  fees:
    idr === undefined
      ? []
      : [
          {
            currency: "IDR",
            flatMinor: String(idr.fixedMinorUnits),
            ratePpm: Number(idr.bps) * 100,
            rounding: "up",
          },
        ],
};
