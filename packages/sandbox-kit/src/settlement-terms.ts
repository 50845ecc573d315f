/**
 * How a reconciler should read one simulator's settlement reports: the terms of the provider it
 * simulates, in the shape of the reconciler's per-adapter settings (PAYMESH_RECON_CONFIG's
 * `adapters.<name>`, less the address). A local stack configures reconciliation from them, so the
 * fees the reconciler expects are the ones the simulator charges, declared where it charges them.
 */
export interface SimulatedSettlementTerms {
  /** The provider id the adapter's Describe answers for this provider ("midtrans", "snap-qris"…). */
  provider: string;
  /** The report's cut-off: a business day ends at midnight in this zone. */
  timeZone: string;
  /** How long after the cut-off the day's report is complete (T+1: 86400000). */
  settlementLagMs: number;
  /**
   * The fee schedule: parts per million of the gross, a flat fee in minor units (decimal text), tax
   * on the fee, and how the provider rounds the share and the tax (to a unit of minor units).
   */
  fees: Array<{
    currency: string;
    ratePpm?: number;
    flatMinor?: string;
    taxPpm?: number;
    rounding?: "half-up" | "down" | "up";
    roundingUnitMinor?: string;
  }>;
}
