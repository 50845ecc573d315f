import { timestampDate } from "@bufbuild/protobuf/wkt";
import { adminv1 } from "@paymesh/proto";
import type { ReconRun } from "./recon-lines.ts";

/**
 * A payments.admin.v1.Run (what the reconciler's RunReconciliation ends with) in the shape the
 * router's `/admin/recon` API answers, so `recon run` prints and `--json`s a run as `recon show` does.
 */
export function reconRunOf(run: adminv1.Run): ReconRun {
  return {
    runId: String(run.runId),
    adapter: run.adapter,
    businessDate: run.businessDate,
    status: (adminv1.RunStatus[run.status] ?? "unspecified").toLowerCase(),
    attempts: run.attempts,
    failure: run.failure === "" ? null : run.failure,
    lines: Number(run.lines),
    unreadable: Number(run.unreadable),
    discrepancies: Number(run.discrepancies),
    open: Number(run.open),
    createdAt: run.createdAt === undefined ? "" : timestampDate(run.createdAt).toISOString(),
    finishedAt: run.finishedAt === undefined ? null : timestampDate(run.finishedAt).toISOString(),
    classes: run.classes.map((total) => ({
      class: total.verdictClass,
      verdicts: Number(total.verdicts),
      discrepancies: Number(total.discrepancies),
      open: Number(total.open),
      amounts: total.amounts.map((amount) => ({
        currency: amount.currency === "" ? null : amount.currency,
        ourMinor: String(amount.ourMinor),
        theirMinor: String(amount.theirMinor),
      })),
    })),
  };
}
