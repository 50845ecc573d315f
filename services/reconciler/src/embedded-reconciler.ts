import { createMemoryEventPublisher, createMemoryWorkQueue, type MemoryEventPublisher } from "@paymesh/queue";
import type { SqlClient } from "@paymesh/store";
import type { Logger, Metrics } from "@paymesh/telemetry";
import type { ReconScheduler } from "./recon-scheduler.ts";
import type { ReconSettings } from "./reconciler-config.ts";
import { startReconciliation } from "./reconciliation.ts";

/** Options for {@link startEmbeddedReconciler}. */
export interface EmbeddedReconcilerOptions {
  /** The host's own database client: the embedded PGlite database it alone can open. */
  sql: SqlClient;
  settings: ReconSettings;
  /** The host's registry: the reconciler's counters show on the host's /metrics. */
  metrics: Metrics;
  log?: Logger;
  /** @default () => new Date() */
  clock?: () => Date;
}

/** Reconciliation running inside its host's process. */
export interface EmbeddedReconciler {
  scheduler: ReconScheduler;
  /** `payments.recon` as it is in process: the discrepancies published, newest kept. */
  events: MemoryEventPublisher;
  /** Stops scheduling and taking jobs (a run in progress rolls back), then the queue. */
  close(): Promise<void>;
}

/** How many discrepancy events the in-process `payments.recon` keeps. */
const RETAINED_EVENTS = 10_000;

/**
 * Reconciliation hosted by the process that owns an embedded database (the router on PGlite in
 * `pnpm start`): PGlite is one connection inside one process, so a reconciler process could not
 * open it. The same scheduler, worker, engine and `paymesh.recon` job contract run here on the
 * host's SqlClient, with the in-process queue (and its retries and dead letters) and an in-process
 * `payments.recon`. A run is one transaction on that one connection: while it runs, the host's own
 * statements wait for it. That is the embedded trade-off; a deployment runs `src/main.ts` apart.
 */
export async function startEmbeddedReconciler(
  options: EmbeddedReconcilerOptions,
): Promise<EmbeddedReconciler> {
  const { settings } = options;
  const queue = createMemoryWorkQueue({
    name: "paymesh.recon",
    retryDelaysMs: settings.retryDelaysMs,
    maxAttempts: settings.maxAttempts,
  });
  const events = createMemoryEventPublisher({ retain: RETAINED_EVENTS });
  const running = await startReconciliation(
    { sql: options.sql, queue, events },
    {
      adapters: settings.adapters,
      lookBackDays: settings.lookBackDays,
      intervalMs: settings.intervalMs,
      metrics: options.metrics,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.log === undefined ? {} : { log: options.log }),
    },
  );
  return {
    scheduler: running.scheduler,
    events,
    async close() {
      await running.close();
      await Promise.all([queue.close(), events.close()]);
    },
  };
}
