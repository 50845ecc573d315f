import {
  checkReadiness,
  createMetrics,
  type Logger,
  type Metrics,
  startHealthServer,
} from "@paymesh/telemetry";
import type { ReconScheduler } from "./recon-scheduler.ts";
import type { ReconAdapterConfig } from "./reconciler-config.ts";
import { type ReconcilerBackends, type Reconciliation, startReconciliation } from "./reconciliation.ts";

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
 * Starts the reconciler as its own service: {@link startReconciliation} (the scheduler and the
 * worker) and the health server. Any number may run against one store and one broker.
 */
export async function startReconcilerService(
  backends: ReconcilerBackends,
  options: ReconcilerServiceOptions,
): Promise<RunningReconciler> {
  const metrics = options.metrics ?? createMetrics();
  const { host, httpPort, ...reconciliation } = options;
  let closing = false;
  const health = await startHealthServer({
    metrics,
    host: host ?? "127.0.0.1",
    port: httpPort ?? 0,
    readiness: async () =>
      closing
        ? { ready: false, down: ["shutting down"] }
        : checkReadiness([
            { name: "store", check: () => backends.sql.query("SELECT 1") },
            { name: "queue", check: () => backends.queue.sizes() },
          ]),
  });
  let running: Reconciliation;
  try {
    running = await startReconciliation(backends, { ...reconciliation, metrics });
  } catch (error) {
    await health.close();
    throw error;
  }
  return {
    httpUrl: health.url,
    scheduler: running.scheduler,
    async close() {
      closing = true;
      await running.close();
      await health.close();
    },
  };
}
