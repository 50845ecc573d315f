import type { EventPublisher } from "@paymesh/queue";
import type { SqlClient } from "@paymesh/store";
import type { Logger } from "@paymesh/telemetry";
import { publishDiscrepancies } from "./discrepancy-events.ts";
import { isReconError, ReconError } from "./recon-error.ts";
import type { ReconMetrics } from "./recon-metrics.ts";
import type { RunSummary } from "./recon-runs.ts";
import type { Reconciler, RunProgress, SettlementTerms } from "./reconciler.ts";
import type { ReportSource } from "./report-source.ts";

/** Options for {@link createRunExecution}. */
export interface RunExecutionOptions {
  reconciler: Reconciler;
  /** The database the reconciler runs on, to read a run's discrepancies back. */
  sql: SqlClient;
  source: ReportSource;
  /** The `payments.recon` topic exchange. */
  events: EventPublisher;
  /** Adapter name → how its provider settles (lag, fees, cut-off). */
  terms: Readonly<Record<string, SettlementTerms>>;
  metrics?: ReconMetrics;
  log?: Logger;
}

/** Who asked for a run: the queue's job (the daily schedule) or an operator (`paymesh recon run`). */
export type RunTrigger = { by: "queue"; attempt: number } | { by: "operator"; operator: string };

/** One run, however it was asked for; see {@link createRunExecution}. */
export interface RunExecution {
  /** How `adapter`'s provider settles; undefined for an adapter this reconciler is not configured with. */
  termsOf(adapter: string): SettlementTerms | undefined;
  /**
   * Reads the adapter's report, runs the engine (a day already run is run again, replaced whole),
   * then publishes each discrepancy to `payments.recon`, counts the outcome and logs it. Throws
   * what the engine throws (ReconError RUN_IN_PROGRESS when the pair is being run elsewhere);
   * an adapter not configured is INVALID_REQUEST on `adapter`, before anything is written.
   */
  execute(
    adapter: string,
    businessDate: string,
    trigger: RunTrigger,
    options?: { signal?: AbortSignal; onProgress?: (progress: RunProgress) => void },
  ): Promise<RunSummary>;
  /**
   * For a completed run's job delivered again: publishes its discrepancies again (same event ids,
   * consumers deduplicate) in case the first delivery died before sending them all.
   */
  republish(summary: RunSummary): Promise<void>;
}

/**
 * What running a day means, once, for the queue's worker and for an operator's run alike: the
 * same engine, events, metrics and log lines, so a run asked for by hand is no different from
 * the scheduled one.
 */
export function createRunExecution(options: RunExecutionOptions): RunExecution {
  const { reconciler, metrics, log } = options;
  // The pairs this process is running. The engine's advisory lock refuses a second run of a pair
  // across processes; on PGlite (one connection) a second run would instead queue behind the
  // first, so this process refuses it itself, at once, as the lock would.
  const inFlight = new Set<string>();

  return {
    termsOf: (adapter) => (Object.hasOwn(options.terms, adapter) ? options.terms[adapter] : undefined),

    async execute(adapter, businessDate, trigger, run = {}) {
      const terms = Object.hasOwn(options.terms, adapter) ? options.terms[adapter] : undefined;
      if (terms === undefined) {
        const known = Object.keys(options.terms).join(", ");
        throw new ReconError(
          "INVALID_REQUEST",
          `adapter: ${JSON.stringify(adapter)} is not one this reconciler runs (${known || "none"})`,
          { field: "adapter" },
        );
      }
      const who = trigger.by === "queue" ? { attempt: trigger.attempt } : { operator: trigger.operator };
      const refused = (error: unknown): never => {
        const busy = isReconError(error) && error.code === "RUN_IN_PROGRESS";
        metrics?.runFinished(adapter, busy ? "busy" : "failed");
        log?.warn(
          {
            adapter,
            businessDate,
            ...who,
            reason: isReconError(error) ? error.code : "interrupted",
            err: error,
          },
          trigger.by === "queue"
            ? "reconciliation run did not complete; its job will be retried"
            : "reconciliation run asked for by an operator did not complete",
        );
        throw error;
      };
      const pair = `${adapter}\u0000${businessDate}`;
      if (inFlight.has(pair)) {
        refused(
          new ReconError(
            "RUN_IN_PROGRESS",
            `the run of ${adapter} for ${businessDate} is in progress in this reconciler`,
          ),
        );
      }
      inFlight.add(pair);
      try {
        let summary: RunSummary;
        try {
          summary = await reconciler.run({
            adapter,
            businessDate,
            report: options.source.report(adapter, businessDate, run.signal),
            terms,
            ...(run.signal === undefined ? {} : { signal: run.signal }),
            ...(run.onProgress === undefined ? {} : { onProgress: run.onProgress }),
          });
        } catch (error) {
          return refused(error);
        }
        const found = await publishDiscrepancies(options.sql, options.events, summary);
        for (const [verdictClass, count] of found) metrics?.discrepanciesFound(adapter, verdictClass, count);
        metrics?.runFinished(adapter, "completed");
        log?.info(
          {
            adapter,
            businessDate,
            ...who,
            runId: String(summary.runId),
            lines: summary.lines,
            discrepancies: summary.discrepancies,
          },
          "reconciliation run completed",
        );
        return summary;
      } finally {
        inFlight.delete(pair);
      }
    },

    async republish(summary) {
      await publishDiscrepancies(options.sql, options.events, summary);
      metrics?.runFinished(summary.adapter, "already_done");
    },
  };
}
