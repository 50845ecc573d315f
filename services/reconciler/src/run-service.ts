import type { MessageInitShape } from "@bufbuild/protobuf";
import { GrpcCode, invalidField, isPaymeshError, missingField, PaymeshError } from "@paymesh/adapter-kit";
import { type adminv1, ErrorReason } from "@paymesh/proto";
import type { Logger } from "@paymesh/telemetry";
import { isBusinessDate } from "./line-check.ts";
import { isReconError } from "./recon-error.ts";
import type { ReconLedger } from "./recon-ledger.ts";
import { dueBusinessDates } from "./recon-schedule.ts";
import type { RunProgress } from "./reconciler.ts";
import type { RunExecution } from "./run-execution.ts";
import { runMessage } from "./run-message.ts";

type Update = MessageInitShape<typeof adminv1.RunReconciliationResponseSchema>;

/** Options for {@link createRunService}. */
export interface RunServiceOptions {
  execution: RunExecution;
  /** Reads the finished run back with its totals per class. */
  ledger: ReconLedger;
  /** Decides whether a day is due yet. @default () => new Date() */
  clock?: () => Date;
  /** Least time between two progress messages (a phase change is sent at once). @default 250 */
  progressIntervalMs?: number;
  /** Where a failure that is not the caller's is logged. */
  log: Logger;
}

// RunPhase numbers (payments.admin.v1), by the engine's phase names.
const PHASES: Readonly<Record<RunProgress["phase"], adminv1.RunPhase>> = { loading: 1, matching: 2 };

/**
 * ReconciliationRunService.RunReconciliation, whatever the transport (run-server.ts serves it on
 * gRPC after authenticating the operator): checks the request, runs the day through the same
 * execution as the queue's worker, streams its progress at most every `progressIntervalMs`, and
 * ends with the run's totals per class. Aborting `signal` (the caller went away) abandons the run:
 * the engine rolls it back whole. Every failure is a PaymeshError: bad input INVALID_ARGUMENT
 * naming the field, a day not due yet FAILED_PRECONDITION, the pair being run elsewhere ABORTED
 * (RECON_RUN_IN_PROGRESS), an adapter that could not give its report UNAVAILABLE, a report that is
 * not the day's FAILED_PRECONDITION, the store down UNAVAILABLE (its words only in the log).
 */
export function createRunService(options: RunServiceOptions) {
  const { execution, ledger, log } = options;
  const clock = options.clock ?? (() => new Date());
  const interval = options.progressIntervalMs ?? 250;

  function check(request: adminv1.RunReconciliationRequest): void {
    if (request.adapter === "") throw missingField("adapter");
    if (request.businessDate === "") throw missingField("business_date");
    if (!isBusinessDate(request.businessDate)) {
      throw invalidField("business_date", `${JSON.stringify(request.businessDate)} is not a YYYY-MM-DD date`);
    }
    const terms = execution.termsOf(request.adapter);
    if (terms === undefined) return; // execute() refuses it, naming the adapters it knows
    // A day whose report is not complete yet would be judged too early, and the schedule would then
    // skip it (its run exists): refused until its cut-off plus the settlement lag has passed.
    const [latest = ""] = dueBusinessDates(
      clock(),
      { timeZone: terms.timeZone ?? "Asia/Jakarta", settlementLagMs: terms.settlementLagMs },
      1,
    );
    if (request.businessDate > latest) {
      throw new PaymeshError(
        ErrorReason.INVALID_FIELD,
        `business_date: ${request.businessDate} is not due yet: ${request.adapter}'s report is complete only after its cut-off plus its settlement lag (the latest due day is ${latest})`,
        { field: "business_date", code: GrpcCode.FAILED_PRECONDITION },
      );
    }
  }

  return {
    async *runReconciliation(
      operator: string,
      request: adminv1.RunReconciliationRequest,
      signal: AbortSignal,
    ): AsyncGenerator<Update> {
      check(request);
      let latest: RunProgress | undefined;
      let sent: RunProgress | undefined;
      let wake: (() => void) | undefined;
      let outcome: { ok: true; runId: bigint } | { ok: false; error: unknown } | undefined;
      const running = execution.execute(
        request.adapter,
        request.businessDate,
        { by: "operator", operator },
        {
          signal,
          onProgress: (progress) => {
            latest = progress;
            if (progress.phase !== sent?.phase) wake?.();
          },
        },
      );
      void running.then(
        (summary) => {
          outcome = { ok: true, runId: summary.runId };
          wake?.();
        },
        (error: unknown) => {
          outcome = { ok: false, error };
          wake?.();
        },
      );
      while (outcome === undefined) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, interval);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        if (latest !== undefined && latest !== sent) {
          sent = latest;
          yield { update: { case: "progress", value: progressMessage(latest) } };
        }
      }
      const ended = outcome as typeof outcome;
      if (!ended.ok) {
        if (signal.aborted) {
          // Aborted with a reason of ours (the server shutting down, run-connect.ts): that is the answer.
          if (isPaymeshError(signal.reason)) throw signal.reason;
          throw new PaymeshError(ErrorReason.UNSPECIFIED, "the run was abandoned: its caller went away", {
            code: GrpcCode.CANCELLED,
          });
        }
        throw publicRunError(ended.error, log);
      }
      let detail: Awaited<ReturnType<ReconLedger["run"]>>;
      try {
        detail = await ledger.run(ended.runId);
      } catch (error) {
        throw publicRunError(error, log);
      }
      if (detail === undefined) throw publicRunError(new Error(`run ${ended.runId} vanished`), log);
      yield { update: { case: "run", value: runMessage(detail) } };
    },
  };
}

/** The service's operations; see {@link createRunService}. */
export type RunService = ReturnType<typeof createRunService>;

function progressMessage(progress: RunProgress): MessageInitShape<typeof adminv1.RunProgressSchema> {
  return {
    phase: PHASES[progress.phase],
    linesRead: BigInt(progress.linesRead),
    expectedLines: BigInt(progress.expectedLines ?? 0),
  };
}

/**
 * The one mapping of a run's failures to what an operator sees. The engine's own words are safe
 * to show (they name the adapter, the day, the gRPC status and reason an adapter answered); a
 * failure that is none of its is the store's: UNAVAILABLE, its text in the log only.
 */
function publicRunError(error: unknown, log: Logger): PaymeshError {
  if (isPaymeshError(error)) return error;
  if (isReconError(error)) {
    switch (error.code) {
      case "INVALID_REQUEST":
        return new PaymeshError(
          ErrorReason.INVALID_FIELD,
          error.message,
          error.field === undefined
            ? {}
            : { field: error.field === "businessDate" ? "business_date" : error.field },
        );
      case "RUN_IN_PROGRESS":
        return new PaymeshError(ErrorReason.RECON_RUN_IN_PROGRESS, error.message);
      case "REPORT_UNAVAILABLE":
        return new PaymeshError(ErrorReason.ADAPTER_UNAVAILABLE, error.message);
      case "REPORT_REJECTED":
        return new PaymeshError(ErrorReason.PROVIDER_ERROR, error.message, {
          code: GrpcCode.FAILED_PRECONDITION,
        });
      default:
        break;
    }
  }
  log.error({ source: "admin", method: "RunReconciliation", err: error }, "reconciliation run failed");
  return new PaymeshError(
    ErrorReason.STORE_UNAVAILABLE,
    "the reconciliation store is unavailable; retry later",
  );
}
