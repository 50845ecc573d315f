// The body of every adapter's main.ts: the process contract the launcher, the local stack and the
// tests rely on, written once so no adapter drifts from it.
import {
  createLogger,
  type Logger,
  type LogSettings,
  LogSettingsError,
  processMetrics,
  readLogSettings,
  shutdownTracing,
  startHealthServer,
} from "@paymesh/telemetry";
import { ConfigError, env, type ListenConfig, readEnv } from "./env-config.ts";
import type { PaymentProvider } from "./payment-provider.ts";
import { type ServedAdapter, serveAdapter } from "./serve-adapter.ts";

/** What an adapter process is made of; {@link runAdapterMain}. */
export interface AdapterMainOptions<Config extends ListenConfig> {
  /** The process's name in its announcement and its configuration errors, e.g. "adapter-va". */
  service: string;
  /** Reads the configuration from the environment; throws a ConfigError naming a wrong variable. */
  loadConfig: () => Config;
  /**
   * The provider to serve; `version` is the package's, for Describe; `log` is the process's logger,
   * for anything the provider logs itself (e.g. each exchange).
   */
  provider: (config: Config, version: string, log: Logger) => PaymentProvider;
}

/**
 * Runs an adapter process: reads its configuration, serves the provider on the configured address
 * and GET /metrics, /healthz and /readyz over HTTP on ADAPTER_HTTP_PORT (default 0, a free port),
 * prints one JSON line `{"service","address","http"}` (what the launcher and tests wait for), and on
 * SIGTERM or SIGINT stops taking calls (/readyz answers 503 from then on), lets those in flight
 * finish, exports the spans still buffered (tracing is set up by
 * `node --import @paymesh/telemetry/register`), and exits 0. A configuration error is one stderr
 * line naming the variable and exit status 2, never a stack trace. Everything else the process
 * logs goes through one @paymesh/telemetry logger on stderr (LOG_LEVEL, LOG_RPC_LEVEL).
 */
export async function runAdapterMain<Config extends ListenConfig>(
  options: AdapterMainOptions<Config>,
): Promise<ServedAdapter> {
  let config: Config;
  let httpPort: number;
  let logSettings: LogSettings;
  try {
    logSettings = readLogSettings();
    config = options.loadConfig();
    httpPort = readEnv(options.service, {
      ADAPTER_HTTP_PORT: env.int(0, 65_535).default(0),
    }).ADAPTER_HTTP_PORT;
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof LogSettingsError)) throw error;
    const message =
      error instanceof LogSettingsError ? `${options.service}: ${error.message}` : error.message;
    process.stderr.write(`${message}\n`);
    return process.exit(2);
  }
  const log = createLogger({ service: options.service, level: logSettings.level });
  const version = process.env.npm_package_version ?? "0.1.0";
  const provider = options.provider(config, version, log);
  const metrics = processMetrics();
  const served = await serveAdapter({
    provider,
    host: config.host,
    port: config.port,
    metrics,
    service: options.service,
    log,
    rpcLogLevel: logSettings.rpcLevel,
  });
  const health = await startHealthServer({
    metrics,
    readiness: served.readiness,
    host: config.host,
    port: httpPort,
  });
  process.stdout.write(
    `${JSON.stringify({ service: options.service, address: served.address, http: health.url })}\n`,
  );
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void served
        .shutdown()
        .then(() => health.close())
        .then(shutdownTracing)
        .then(() => process.exit(0));
    });
  }
  return served;
}
