// The adapter process: serves ProviderAdapter over gRPC, prints one JSON line with its address
// (the launcher and tests read it), and drains calls in flight on SIGTERM or SIGINT.
import { serveAdapter } from "@paymesh/adapter-kit";
import { loadConfig } from "./config.ts";
import { createProvider } from "./provider.ts";

const config = loadConfig();
const provider = createProvider({ ...config, version: process.env.npm_package_version ?? "0.1.0" });
const served = await serveAdapter({ provider, host: config.host, port: config.port });
const ready = { service: "adapter-__name__", address: served.address };
process.stdout.write(`${JSON.stringify(ready)}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void served.shutdown().then(() => process.exit(0));
  });
}
