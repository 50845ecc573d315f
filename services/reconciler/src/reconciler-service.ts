import { createAuthenticator } from "@paymesh/adapter-kit";
import type { EventPublisher, WorkQueue } from "@paymesh/queue";
import type { SqlClient } from "@paymesh/store";
import {
  checkReadiness,
  createLogger,
  createMetrics,
  type Logger,
  type Metrics,
  startHealthServer,
} from "@paymesh/telemetry";
import { createReconLedger } from "./recon-ledger.ts";
import { reconMetrics } from "./recon-metrics.ts";
import { createReconScheduler, type ReconScheduler } from "./recon-scheduler.ts";
import { createReconWorker } from "./recon-worker.ts";
import { createReconciler, type SettlementTerms } from "./reconciler.ts";
import type { ReconAdapterConfig } from "./reconciler-config.ts";
import { createReportSource } from "./report-source.ts";
import { createRunExecution } from "./run-execution.ts";
import { startRunServer } from "./run-server.ts";
import { createRunService } from "./run-service.ts";

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
  /** Where ReconciliationRunService listens, on `host`. @default 0 (a free port) */
  grpcPort?: number;
  /** Operator name → bearer token for ReconciliationRunService; none: the service is not served. @default {} */
  operators?: Readonly<Record<string, string>>;
  /** Least time between two progress messages of an operator's run. @default 250 */
  progressIntervalMs?: number;
  /** Runs the schedule by this clock (tests); the engine judges lags by it too. @default () => new Date() */
  clock?: () => Date;
  /** @default a registry of its own */
  metrics?: Metrics;
  log?: Logger;
}

/** A running reconciler: its scheduler, its worker, its gRPC port and its health server. */
export interface RunningReconciler {
  /** "http://host:port" of /metrics, /healthz and /readyz. */
  httpUrl: string;
  /**
   * "host:port" of ReconciliationRunService (what `paymesh recon run --reconciler` takes); absent
   * when no operator token is configured, as the port is then not opened.
   */
  grpcAddress?: string;
  scheduler: ReconScheduler;
  /** Stops scheduling and taking jobs (a run in progress rolls back and is redelivered), then the HTTP server. */
  close(): Promise<void>;
}

/**
 * Starts the reconciler: the scheduler that creates each due run once and queues its job, the
 * worker that consumes the jobs, ReconciliationRunService for operators' runs on demand (the same
 * execution as the worker's), and the health server. Any number may run against one store
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
  const log = options.log ?? createLogger({ service: "reconciler", level: "warn" });
  const execution = createRunExecution({
    reconciler,
    sql: backends.sql,
    source,
    events: backends.events,
    terms,
    metrics: reconMetrics(metrics),
    log,
  });
  const worker = createReconWorker({ reconciler, execution, queue: backends.queue });
  // Only with operators to serve: a port that would refuse every call is not opened at all.
  const operators = options.operators ?? {};
  const runs =
    Object.keys(operators).length === 0
      ? undefined
      : await startRunServer({
          service: createRunService({
            execution,
            ledger: createReconLedger({ sql: backends.sql }),
            clock,
            ...(options.progressIntervalMs === undefined
              ? {}
              : { progressIntervalMs: options.progressIntervalMs }),
            log,
          }),
          authenticate: createAuthenticator(operators),
          host: options.host ?? "127.0.0.1",
          port: options.grpcPort ?? 0,
          log,
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
    ...(runs === undefined ? {} : { grpcAddress: runs.address }),
    scheduler,
    async close() {
      closing = true;
      await scheduler.stop();
      // An operator's run in flight is given a moment, then abandoned: it rolls back whole.
      await Promise.all([worker.stop(), runs?.shutdown(1_000)]);
      source.close();
      await health.close();
    },
  };
}
