// The router process: reads its config and backends from the environment, serves gRPC and HTTP,
// prints one JSON line with its addresses (tests and the launcher read it), and drains on SIGTERM.
// Tracing is set up before this module loads: start it with `node --import @paymesh/telemetry/register`.

import { ConfigError } from "@paymesh/adapter-kit";
import { createLogger, readLogSettings, shutdownTracing } from "@paymesh/telemetry";
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
const router = await startRouter(config, { ...backends, log, rpcLogLevel: logSettings.rpcLevel });
process.stdout.write(
  `${JSON.stringify({ service: "router", grpc: router.grpcAddress, http: router.httpUrl, ...backends.description })}\n`,
);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    // The last spans (the drain's own) are exported before the process goes.
    void router
      .close()
      .then(shutdownTracing)
      .then(() => process.exit(0));
  });
}
