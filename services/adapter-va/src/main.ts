// The VA adapter process: serves ProviderAdapter over gRPC, prints one JSON line with its
// address (the launcher and tests read it), and drains calls in flight on SIGTERM.
import { ConfigError, serveAdapter } from "@paymesh/adapter-kit";
import { loadConfig, type VaAdapterConfig } from "./config.ts";
import { createMidtransClient } from "./midtrans-client.ts";
import { createMidtransVaProvider } from "./provider.ts";

const config = readConfig();
const provider = createMidtransVaProvider({
  client: createMidtransClient(config.midtrans),
  serverKey: config.midtrans.serverKey,
  version: process.env.npm_package_version ?? "0.1.0",
});
const served = await serveAdapter({ provider, host: config.host, port: config.port });
process.stdout.write(`${JSON.stringify({ service: "adapter-va", address: served.address })}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void served.shutdown().then(() => process.exit(0));
  });
}

/** The configuration; a wrong or missing variable is one line naming it, and exit status 2. */
function readConfig(): VaAdapterConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(2);
  }
}
