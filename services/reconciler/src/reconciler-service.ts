import type { EventPublisher, WorkQueue } from "@paymesh/queue";
import type { SqlClient } from "@paymesh/store";
import {
  checkReadiness,
  createMetrics,
  type Logger,
  type Metrics,
  startHealthServer,
} from "@paymesh/telemetry";
import { reconMetrics } from "./recon-metrics.ts";
import { createReconScheduler, type ReconScheduler } from "./recon-scheduler.ts";
import { createReconWorker } from "./recon-worker.ts";
import { createReconciler, type SettlementTerms } from "./reconciler.ts";
import type { ReconAdapterConfig } from "./reconciler-config.ts";
import { createReportSource } from "./report-source.ts";

/** What the service runs on; the caller opens them and closes them after {@link RunningReconciler.close}. */
export interface ReconcilerBackends {
  sql: SqlClient;
  /** `paymesh.recon`: RabbitMQ, or the in-process queue. */
  queue: WorkQueue;
  /** `payments.recon`: RabbitMQ's topic exchange, or the in-process publisher. */
  events: EventPublisher;
}

/** Options for {@link startReconcilerService}. */
export interface ReconcilerServiceOptions {
  adapters: Readonly<Record<string, ReconAdapterConfig>>;
  /** @default 7 */
  lookBackDays?: number;
  /** @default 60_000 */
  intervalMs?: number;
  /** Where /metrics, /healthz and /readyz listen. @default "127.0.0.1", port 0 */
  host?: string;
  httpPort?: number;
  /** Runs the schedule by this clock (tests); the engine judges lags by it too. @default () => new Date() */
  clock?: () => Date;
  /** @default a registry of its own */
  metrics?: Metrics;
  log?: Logger;
}

/** A running reconciler: its scheduler, its worker and its health server. */
export interface RunningReconciler {
  /** "http://host:port" of /metrics, /healthz and /readyz. */
  httpUrl: string;
  scheduler: ReconScheduler;
  /** Stops scheduling and taking jobs (a run in progress rolls back and is redelivered), then the HTTP server. */
  close(): Promise<void>;
}

/**
 * Starts the reconciler: the scheduler that creates each due run once and queues its job, the
 * worker that consumes the jobs, and the health server. Any number may run against one store
 * and one broker.
 */
export async function startReconcilerService(
  backends: ReconcilerBackends,
  options: ReconcilerServiceOptions,
): Promise<RunningReconciler> {
  const clock = options.clock ?? (() => new Date());
  const metrics = options.metrics ?? createMetrics();
  const reconciler = await createReconciler({ sql: backends.sql, clock });
  const source = createReportSource({ adapters: options.adapters });
  const terms: Record<string, SettlementTerms> = {};
  for (const [name, adapter] of Object.entries(options.adapters)) terms[name] = adapter.terms;
  const worker = createReconWorker({
    reconciler,
    sql: backends.sql,
    source,
    queue: backends.queue,
    events: backends.events,
    terms,
    metrics: reconMetrics(metrics),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
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
  let closing = false;
  const health = await startHealthServer({
    metrics,
    host: options.host ?? "127.0.0.1",
    port: options.httpPort ?? 0,
    readiness: async () =>
      closing
        ? { ready: false, down: ["shutting down"] }
        : checkReadiness([
            { name: "store", check: () => backends.sql.query("SELECT 1") },
            { name: "queue", check: () => backends.queue.sizes() },
          ]),
  });
  await worker.start();
  scheduler.start();
  return {
    httpUrl: health.url,
    scheduler,
    async close() {
      closing = true;
      await scheduler.stop();
      await worker.stop();
      source.close();
      await health.close();
    },
  };
}
