import type { QueueConsumer, QueueMessage, WorkQueue } from "@paymesh/queue";
import { readReconJob } from "./recon-job.ts";
import type { Reconciler } from "./reconciler.ts";
import type { RunExecution } from "./run-execution.ts";

/** Options for {@link createReconWorker}. */
export interface ReconWorkerOptions {
  reconciler: Reconciler;
  /** How a run is executed, events and metrics included (shared with an operator's run). */
  execution: RunExecution;
  /** The `paymesh.recon` work queue. */
  queue: WorkQueue;
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
 * Consumes `paymesh.recon`: for each job, runs the day through `execution` (the adapter's report,
 * the engine, each discrepancy published to `payments.recon` and counted). A job whose run has
 * already completed (delivered twice) is not run again, only its events published again (same
 * ids), in case the first delivery died before publishing them all. A failure throws, so the
 * queue retries the job with growing delays and dead-letters it in the end.
 */
export function createReconWorker(options: ReconWorkerOptions): ReconWorker {
  const { reconciler, execution } = options;
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
    if (execution.termsOf(adapter) === undefined)
      throw new Error(`recon job ${message.id}: adapter ${JSON.stringify(adapter)} is not configured`);
    const known = await reconciler.find(adapter, businessDate);
    if (known?.status === "completed") return execution.republish(known);
    const controller = new AbortController();
    running.add(controller);
    try {
      await execution.execute(
        adapter,
        businessDate,
        { by: "queue", attempt: message.attempts },
        { signal: controller.signal },
      );
    } finally {
      running.delete(controller);
    }
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
