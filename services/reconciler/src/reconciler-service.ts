import { createAuthenticator } from "@paymesh/adapter-kit";
import {
  checkReadiness,
  createLogger,
  createMetrics,
  type Logger,
  type Metrics,
  startHealthServer,
} from "@paymesh/telemetry";
import { createReconLedger } from "./recon-ledger.ts";
import type { ReconScheduler } from "./recon-scheduler.ts";
import type { ReconAdapterConfig } from "./reconciler-config.ts";
import { type ReconcilerBackends, type Reconciliation, startReconciliation } from "./reconciliation.ts";
import { createRunConnect, type RunConnect } from "./run-connect.ts";
import { startRunServer } from "./run-server.ts";
import { createRunService } from "./run-service.ts";

/** Options for {@link startReconcilerService}. */
export interface ReconcilerServiceOptions {
  adapters: Readonly<Record<string, ReconAdapterConfig>>;
  /** @default 7 */
  lookBackDays?: number;
  /** @default 60_000 */
  intervalMs?: number;
  /**
   * Where /metrics, /healthz and /readyz listen, and ReconciliationRunService in the Connect
   * protocol when operators are configured. @default "127.0.0.1", port 0
   */
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
  /**
   * "http://host:port" of /metrics, /healthz and /readyz, and of ReconciliationRunService in the
   * Connect protocol (`POST /payments.admin.v1.ReconciliationRunService/RunReconciliation`) when
   * operators are configured.
   */
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
 * Starts the reconciler as its own service: {@link startReconciliation} (the scheduler and the
 * worker), ReconciliationRunService for operators' runs on demand (the same execution as the
 * worker's), and the health server. Any number may run against one store and one broker.
 */
export async function startReconcilerService(
  backends: ReconcilerBackends,
  options: ReconcilerServiceOptions,
): Promise<RunningReconciler> {
  const metrics = options.metrics ?? createMetrics();
  const { host, httpPort, grpcPort, operators, progressIntervalMs, ...reconciliation } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? createLogger({ service: "reconciler", level: "warn" });
  let closing = false;
  // Served once the execution exists, on the health server's port (which must answer first).
  let connect: RunConnect | undefined;
  const health = await startHealthServer({
    metrics,
    handle: (req, res) => connect?.handle(req, res) ?? false,
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
    running = await startReconciliation(backends, { ...reconciliation, metrics, log });
  } catch (error) {
    await health.close();
    throw error;
  }
  // Only with operators to serve: a port that would refuse every call is not opened at all, and
  // the HTTP port answers the Connect path 405 as any other POST.
  let runs: Awaited<ReturnType<typeof startRunServer>> | undefined;
  if (operators !== undefined && Object.keys(operators).length > 0) {
    const service = createRunService({
      execution: running.execution,
      ledger: createReconLedger({ sql: backends.sql }),
      clock,
      ...(progressIntervalMs === undefined ? {} : { progressIntervalMs }),
      log,
    });
    const authenticate = createAuthenticator(operators);
    try {
      runs = await startRunServer({
        service,
        authenticate,
        host: host ?? "127.0.0.1",
        port: grpcPort ?? 0,
        log,
      });
    } catch (error) {
      await running.close();
      await health.close();
      throw error;
    }
    connect = createRunConnect({ service, authenticate, log });
  }
  return {
    httpUrl: health.url,
    ...(runs === undefined ? {} : { grpcAddress: runs.address }),
    scheduler: running.scheduler,
    async close() {
      closing = true;
      // An operator's run in flight is given a moment, then abandoned: it rolls back whole.
      await Promise.all([runs?.shutdown(1_000), connect?.close(1_000)]);
      await running.close();
      await health.close();
    },
  };
}
