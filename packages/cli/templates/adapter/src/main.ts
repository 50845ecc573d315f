// The adapter process: serves ProviderAdapter over gRPC, prints one JSON line with its address
// (the launcher and tests read it), and drains calls in flight on SIGTERM or SIGINT.
import { ConfigError, serveAdapter } from "@paymesh/adapter-kit";
import { type Config, loadConfig } from "./config.ts";
import { createProvider } from "./provider.ts";

const config = readConfig();
const provider = createProvider({ ...config, version: process.env.npm_package_version ?? "0.1.0" });
const served = await serveAdapter({ provider, host: config.host, port: config.port });
const ready = { service: "adapter-__name__", address: served.address };
process.stdout.write(`${JSON.stringify(ready)}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void served.shutdown().then(() => process.exit(0));
  });
}

/** The configuration; a wrong or missing variable is one line naming it, and exit status 2. */
function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(2);
  }
}
