// The router process: reads its config and backends from the environment, serves gRPC and HTTP,
// prints one JSON line with its addresses (tests and the launcher read it), and drains on SIGTERM.
// Tracing is set up before this module loads: start it with `node --import @paymesh/telemetry/register`.

import { ConfigError } from "@paymesh/adapter-kit";
import { startEmbeddedReconciler } from "@paymesh/reconciler";
import { createLogger, createMetrics, readLogSettings, shutdownTracing } from "@paymesh/telemetry";
import { startRouter } from "./router.ts";
import { openRouterBackends } from "./router-backends.ts";
import { loadRouterConfig } from "./router-config.ts";

const logSettings = readLogSettings();
const log = createLogger({ service: "router", level: logSettings.level });
const config = loadRouterConfig();
const backends = await openRouterBackends(config, log).catch((error: unknown) => {
  // A configuration mistake (a missing or wrong PAYMESH_KEK) is one line that names the variable.
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
// One registry for the router and, when it hosts one, its reconciler: one /metrics.
const metrics = createMetrics();
const router = await startRouter(config, { ...backends, log, metrics, rpcLogLevel: logSettings.rpcLevel });
// On its embedded database the router hosts the reconciler too: no other process can open PGlite.
const reconciliation =
  backends.reconciliation === undefined
    ? undefined
    : await startEmbeddedReconciler({
        ...backends.reconciliation,
        metrics,
        log: log.child({ component: "reconciler" }),
      });
process.stdout.write(
  `${JSON.stringify({ service: "router", grpc: router.grpcAddress, http: router.httpUrl, ...backends.description })}\n`,
);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    // Reconciliation first: a run in progress rolls back before the router closes the store.
    // The last spans (the drain's own) are exported before the process goes.
    void Promise.resolve(reconciliation?.close())
      .then(() => router.close())
      .then(shutdownTracing)
      .then(() => process.exit(0));
  });
}
