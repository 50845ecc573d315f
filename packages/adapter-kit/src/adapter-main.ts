// The body of every adapter's main.ts: the process contract the launcher, the local stack and the
// tests rely on, written once so no adapter drifts from it.
import { shutdownTracing } from "@paymesh/telemetry";
import { ConfigError, type ListenConfig } from "./env-config.ts";
import type { PaymentProvider } from "./payment-provider.ts";
import { type ServedAdapter, serveAdapter } from "./serve-adapter.ts";

/** What an adapter process is made of; {@link runAdapterMain}. */
export interface AdapterMainOptions<Config extends ListenConfig> {
  /** The process's name in its announcement and its configuration errors, e.g. "adapter-va". */
  service: string;
  /** Reads the configuration from the environment; throws a ConfigError naming a wrong variable. */
  loadConfig: () => Config;
  /** The provider to serve; `version` is the package's, for Describe. */
  provider: (config: Config, version: string) => PaymentProvider;
}

/**
 * Runs an adapter process: reads its configuration, serves the provider on the configured address,
 * prints one JSON line `{"service","address"}` (what the launcher and tests wait for), and on
 * SIGTERM or SIGINT stops taking calls, lets those in flight finish, exports the spans still
 * buffered (tracing is set up by `node --import @paymesh/telemetry/register`), and exits 0. A configuration
 * error is one stderr line naming the variable and exit status 2, never a stack trace.
 */
export async function runAdapterMain<Config extends ListenConfig>(
  options: AdapterMainOptions<Config>,
): Promise<ServedAdapter> {
  let config: Config;
  try {
    config = options.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(2);
  }
  const version = process.env.npm_package_version ?? "0.1.0";
  const provider = options.provider(config, version);
  const served = await serveAdapter({ provider, host: config.host, port: config.port });
  process.stdout.write(`${JSON.stringify({ service: options.service, address: served.address })}\n`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void served
        .shutdown()
        .then(shutdownTracing)
        .then(() => process.exit(0));
    });
  }
  return served;
}
