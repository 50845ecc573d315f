import type { EventPublisher, QueueConsumer, QueueMessage, WorkQueue } from "@paymesh/queue";
import type { SqlClient } from "@paymesh/store";
import type { Logger } from "@paymesh/telemetry";
import { publishDiscrepancies } from "./discrepancy-events.ts";
import { isReconError } from "./recon-error.ts";
import { readReconJob } from "./recon-job.ts";
import type { ReconMetrics } from "./recon-metrics.ts";
import type { RunSummary } from "./recon-runs.ts";
import type { Reconciler, SettlementTerms } from "./reconciler.ts";
import type { ReportSource } from "./report-source.ts";

/** Options for {@link createReconWorker}. */
export interface ReconWorkerOptions {
  reconciler: Reconciler;
  /** The database the reconciler runs on, to read a run's discrepancies back. */
  sql: SqlClient;
  source: ReportSource;
  /** The `paymesh.recon` work queue. */
  queue: WorkQueue;
  /** The `payments.recon` topic exchange. */
  events: EventPublisher;
  /** Adapter name → how its provider settles (lag, fees, cut-off). */
  terms: Readonly<Record<string, SettlementTerms>>;
  metrics?: ReconMetrics;
  log?: Logger;
}

/** A consumer of recon jobs; see {@link createReconWorker}. */
export interface ReconWorker {
  start(): Promise<void>;
  /**
   * Stops taking jobs. A run in progress is abandoned: the engine rolls it back whole and the
   * queue hands its job to another reconciler (or this one, when it is back). Resolves once the
   * abandoned run has let go of the database.
   */
  stop(): Promise<void>;
}

/**
 * Consumes `paymesh.recon`: for each job, reads the adapter's report through `source`, runs the
 * engine, publishes each discrepancy found to `payments.recon` and counts it. A job whose run has
 * already completed (delivered twice) is not run again, only its events published again (same
 * ids), in case the first delivery died before publishing them all. A failure throws, so the
 * queue retries the job with growing delays and dead-letters it in the end.
 */
export function createReconWorker(options: ReconWorkerOptions): ReconWorker {
  const { reconciler, metrics, log } = options;
  let consumer: QueueConsumer | undefined;
  const running = new Set<AbortController>();
  const handling = new Set<Promise<void>>();

  // Tracked, so that stop can wait for an abandoned run to have rolled back.
  function track(message: QueueMessage): Promise<void> {
    const done = handle(message);
    const settled = done.then(
      () => {},
      () => {},
    );
    handling.add(settled);
    void settled.then(() => handling.delete(settled));
    return done;
  }

  async function handle(message: QueueMessage): Promise<void> {
    const { adapter, businessDate } = readReconJob(message);
    const terms = options.terms[adapter];
    if (terms === undefined)
      throw new Error(`recon job ${message.id}: adapter ${JSON.stringify(adapter)} is not configured`);
    const known = await reconciler.find(adapter, businessDate);
    if (known?.status === "completed") {
      await publishDiscrepancies(options.sql, options.events, known);
      metrics?.runFinished(adapter, "already_done");
      return;
    }
    const controller = new AbortController();
    running.add(controller);
    let summary: RunSummary;
    try {
      summary = await reconciler.run({
        adapter,
        businessDate,
        report: options.source.report(adapter, businessDate, controller.signal),
        terms,
        signal: controller.signal,
      });
    } catch (error) {
      const busy = isReconError(error) && error.code === "RUN_IN_PROGRESS";
      metrics?.runFinished(adapter, busy ? "busy" : "failed");
      log?.warn(
        {
          adapter,
          businessDate,
          attempt: message.attempts,
          reason: isReconError(error) ? error.code : "interrupted",
          err: error,
        },
        "reconciliation run did not complete; its job will be retried",
      );
      throw error;
    } finally {
      running.delete(controller);
    }
    const found = await publishDiscrepancies(options.sql, options.events, summary);
    for (const [verdictClass, count] of found) metrics?.discrepanciesFound(adapter, verdictClass, count);
    metrics?.runFinished(adapter, "completed");
    log?.info(
      {
        adapter,
        businessDate,
        runId: String(summary.runId),
        lines: summary.lines,
        discrepancies: summary.discrepancies,
      },
      "reconciliation run completed",
    );
  }

  return {
    async start() {
      consumer ??= await options.queue.consume(track);
    },
    async stop() {
      // The consumer first: its message goes back to the queue before the run's failure could
      // count as a failed attempt.
      const stopping = consumer?.stop();
      consumer = undefined;
      for (const controller of running) controller.abort(new Error("the reconciler is shutting down"));
      await stopping;
      await Promise.all(handling);
    },
  };
}
