import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { adminv1 } from "@paymesh/proto";
import type { ClassTotal, RunDetail, RunRow } from "./recon-ledger.ts";

/** A run status as payments.admin.v1.RunStatus numbers it. */
export const RUN_STATUS_NUMBERS: Readonly<Record<string, adminv1.RunStatus>> = {
  pending: adminv1.RunStatus.PENDING,
  completed: adminv1.RunStatus.COMPLETED,
  failed: adminv1.RunStatus.FAILED,
};

/**
 * A run as payments.admin.v1.Run, with its classes when it is a RunDetail: one conversion for the
 * router's ReconciliationAdminService and the reconciler's RunReconciliation.
 */
export function runMessage(run: RunRow | RunDetail): MessageInitShape<typeof adminv1.RunSchema> {
  return {
    runId: run.runId,
    adapter: run.adapter,
    businessDate: run.businessDate,
    status: RUN_STATUS_NUMBERS[run.status] ?? adminv1.RunStatus.UNSPECIFIED,
    attempts: run.attempts,
    failure: run.failure ?? "",
    lines: BigInt(run.lines),
    unreadable: BigInt(run.unreadable),
    discrepancies: BigInt(run.discrepancies),
    open: BigInt(run.open),
    createdAt: timestampFromDate(run.createdAt),
    ...(run.finishedAt === undefined ? {} : { finishedAt: timestampFromDate(run.finishedAt) }),
    classes: "classes" in run ? run.classes.map(classMessage) : [],
  };
}

function classMessage(total: ClassTotal): MessageInitShape<typeof adminv1.ClassTotalSchema> {
  return {
    verdictClass: total.class,
    verdicts: BigInt(total.verdicts),
    discrepancies: BigInt(total.discrepancies),
    open: BigInt(total.open),
    amounts: total.amounts.map((amount) => ({
      currency: amount.currency ?? "",
      ourMinor: amount.ourMinor,
      theirMinor: amount.theirMinor,
    })),
  };
}
