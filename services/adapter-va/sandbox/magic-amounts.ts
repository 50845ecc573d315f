import { failures, MidtransFailure } from "./midtrans-failure.ts";

/** What a magic gross_amount makes `POST /v2/charge` do instead of a plain success. */
export type MagicOutcome =
  /** The transaction is recorded as `deny` (status_code 202); no VA number is usable. */
  | { kind: "deny" }
  /** The charge fails before anything is created: safe to retry with the same order_id. */
  | { kind: "fail"; failure: () => MidtransFailure }
  /** The transaction is created (a charge), then the answer is this failure: outcome unknown to the caller. */
  | { kind: "fail-after-create"; failure: () => MidtransFailure };

/**
 * Gross amounts (whole rupiah) that fail deterministically, so a test hits each failure path with
 * an ordinary request and no control call. Documented in sandbox/README.md. All sit just above
 * the adapter's Rp10.000 minimum, where ordinary test amounts never land by accident.
 */
const MAGIC: ReadonlyMap<bigint, MagicOutcome> = new Map<bigint, MagicOutcome>([
  [10_202n, { kind: "deny" }],
  [10_429n, { kind: "fail", failure: () => failures.rateLimited("[simulated]") }],
  [10_500n, { kind: "fail", failure: () => failures.internal("[simulated]") }],
  [10_503n, { kind: "fail", failure: () => new MidtransFailure("503", "Service unavailable [simulated]") }],
  [
    10_504n,
    {
      kind: "fail-after-create",
      failure: () => new MidtransFailure("504", "Gateway timeout [simulated, after creating]"),
    },
  ],
]);

/** The magic outcome of a gross amount, or undefined for an ordinary one. */
export function magicOutcome(grossAmount: bigint): MagicOutcome | undefined {
  return MAGIC.get(grossAmount);
}
