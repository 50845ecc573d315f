import type { EventPublisher, WorkQueue } from "@paymesh/queue";
import type { SqlClient } from "@paymesh/store";
import type { Logger, Metrics } from "@paymesh/telemetry";
import { reconMetrics } from "./recon-metrics.ts";
import { createReconScheduler, type ReconScheduler } from "./recon-scheduler.ts";
import { createReconWorker } from "./recon-worker.ts";
import { createReconciler, type SettlementTerms } from "./reconciler.ts";
import type { ReconAdapterConfig } from "./reconciler-config.ts";
import { createReportSource } from "./report-source.ts";
import { createRunExecution, type RunExecution } from "./run-execution.ts";

/** What reconciliation runs on; the caller opens them and closes them after {@link Reconciliation.close}. */
export interface ReconcilerBackends {
  sql: SqlClient;
  /** `paymesh.recon`: RabbitMQ, or the in-process queue. */
  queue: WorkQueue;
  /** `payments.recon`: RabbitMQ's topic exchange, or the in-process publisher. */
  events: EventPublisher;
}

/** Options for {@link startReconciliation}. */
export interface ReconciliationOptions {
  adapters: Readonly<Record<string, ReconAdapterConfig>>;
  /** @default 7 */
  lookBackDays?: number;
  /** @default 60_000 */
  intervalMs?: number;
  /** Runs the schedule by this clock (tests); the engine judges lags by it too. @default () => new Date() */
  clock?: () => Date;
  /** Where the run and discrepancy counters are declared (the host's registry, or the reconciler's own). */
  metrics: Metrics;
  log?: Logger;
}

/** The scheduler and the worker, running. */
export interface Reconciliation {
  scheduler: ReconScheduler;
  /** The execution the worker runs each job through, for operators' runs on demand to share. */
  execution: RunExecution;
  /** Stops scheduling and taking jobs; a run in progress rolls back and its job is redelivered. */
  close(): Promise<void>;
}

/**
 * Starts the two halves of daily reconciliation over one store and one `paymesh.recon` queue: the
 * scheduler that creates each due run once and queues its job, and the worker that consumes the
 * jobs, runs the engine on each adapter's report and publishes what it finds. Whoever hosts it
 * (the reconciler process, or the router on its embedded database) brings the backends.
 */
export async function startReconciliation(
  backends: ReconcilerBackends,
  options: ReconciliationOptions,
): Promise<Reconciliation> {
  const clock = options.clock ?? (() => new Date());
  const reconciler = await createReconciler({ sql: backends.sql, clock });
  const source = createReportSource({ adapters: options.adapters });
  const terms: Record<string, SettlementTerms> = {};
  for (const [name, adapter] of Object.entries(options.adapters)) terms[name] = adapter.terms;
  const execution = createRunExecution({
    reconciler,
    sql: backends.sql,
    source,
    events: backends.events,
    terms,
    metrics: reconMetrics(options.metrics),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const worker = createReconWorker({ reconciler, execution, queue: backends.queue });
  const scheduler = createReconScheduler({
    sql: backends.sql,
    queue: backends.queue,
    adapters: Object.fromEntries(
      Object.entries(options.adapters).map(([name, adapter]) => [name, adapter.terms]),
    ),
    clock,
    ...(options.lookBackDays === undefined ? {} : { lookBackDays: options.lookBackDays }),
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    onError: (error) =>
      options.log?.warn({ err: error }, "reconciliation schedule tick failed; the next tick retries"),
  });
  await worker.start();
  scheduler.start();
  return {
    scheduler,
    execution,
    async close() {
      await scheduler.stop();
      await worker.stop();
      source.close();
    },
  };
}
