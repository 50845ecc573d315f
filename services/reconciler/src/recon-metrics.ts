import type { Metrics } from "@paymesh/telemetry";
import type { VerdictClass } from "./verdict-class.ts";

/** How a job for a run ended, as the runs counter labels it. */
export type RunOutcome =
  /** The run completed: its verdicts are recorded. */
  | "completed"
  /** The run failed (report unavailable or rejected, the store away); the job is retried. */
  | "failed"
  /** Another reconciler holds the run now; the job is retried later. */
  | "busy"
  /** The run had already completed (a job delivered twice): nothing was run again. */
  | "already_done";

/** The reconciler's own metrics, as observability/metrics.yml lists them. */
export interface ReconMetrics {
  runFinished(adapter: string, outcome: RunOutcome): void;
  discrepanciesFound(adapter: string, verdictClass: VerdictClass, count: number): void;
}

/** Declares the reconciler's metrics in `metrics`. */
export function reconMetrics(metrics: Metrics): ReconMetrics {
  const runs = metrics.counter(
    "paymesh_reconciliation_runs_total",
    "Reconciliation jobs by adapter and outcome (completed|failed|busy|already_done).",
    ["adapter", "outcome"],
  );
  const discrepancies = metrics.counter(
    "paymesh_reconciliation_discrepancies_total",
    "Discrepancies found by completed reconciliation runs, by adapter and verdict class.",
    ["adapter", "class"],
  );
  return {
    runFinished: (adapter, outcome) => runs.inc({ adapter, outcome }),
    discrepanciesFound: (adapter, verdictClass, count) =>
      discrepancies.inc({ adapter, class: verdictClass }, count),
  };
}
