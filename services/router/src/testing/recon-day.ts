import { PaymentStatus } from "@paymesh/proto";
import { createReconciler } from "@paymesh/reconciler";
import type { SqlPaymentStore } from "@paymesh/store";
import { createPaymentFixtures } from "@paymesh/store/contract";

/** The business date reconciledDay runs. */
export const RECON_DAY = "2026-12-03";
const MIDDAY = new Date("2026-12-03T05:00:00Z");

/**
 * Runs the real reconciliation engine over one day of adapter `va` in `store` (opened with
 * `clock`, which this moves to each payment's time): three payments of 100,000 IDR succeeded, and
 * the report settles the first (line 1, matched), the second short (line 2, amount_mismatch) and a
 * stranger (line 3, missing_internal); the third payment stays unsettled past the lag
 * (missing_at_provider). Resolves to the run's id and the unsettled payment's id.
 */
export async function reconciledDay(
  store: SqlPaymentStore,
  clock: { now: Date },
): Promise<{ runId: bigint; unsettled: string }> {
  const fixtures = createPaymentFixtures();
  const ids: string[] = [];
  for (const reference of ["R-OK", "R-SHORT", "R-UNSETTLED"]) {
    const record = fixtures.payment({
      adapter: "va",
      providerReference: reference,
      amount: { currency: "IDR", minorUnits: 100_000n },
      createdAt: new Date(MIDDAY.getTime() - 60_000),
      updatedAt: new Date(MIDDAY.getTime() - 60_000),
    });
    clock.now = record.createdAt;
    await store.insert(record);
    clock.now = MIDDAY;
    await store.update(record.id, 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
    ids.push(record.id);
  }
  const reconciler = await createReconciler({
    sql: store.sql,
    clock: () => new Date("2026-12-05T00:00:00Z"),
  });
  const line = (reference: string, gross: bigint) => ({
    kind: "transaction" as const,
    type: "payment" as const,
    providerReference: reference,
    currency: "IDR",
    businessDate: RECON_DAY,
    settledAt: new Date("2026-12-04T02:00:00Z"),
    batchId: "B-1",
    providerStatus: "SETTLED",
    rawLine: `${reference},${gross}`,
    gross,
    providerFee: 0n,
    tax: 0n,
    net: gross,
  });
  async function* lines() {
    yield line("R-OK", 100_000n);
    yield line("R-SHORT", 90_000n);
    yield line("R-STRANGER", 5_000n);
  }
  const summary = await reconciler.run({
    adapter: "va",
    businessDate: RECON_DAY,
    report: { adapter: "va", businessDate: RECON_DAY, lines: lines() },
    terms: { settlementLagMs: 86_400_000 },
  });
  return { runId: summary.runId, unsettled: ids[2] ?? "" };
}
