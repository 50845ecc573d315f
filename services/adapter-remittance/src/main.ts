// The remittance adapter process: serves ProviderAdapter over gRPC, prints one JSON line with its
// address (the launcher and tests read it), and drains calls in flight on SIGTERM.
import { serveAdapter } from "@paymesh/adapter-kit";
import { loadConfig } from "./config.ts";
import { createRemittanceProvider } from "./provider.ts";
import { createWiseClient } from "./wise-client.ts";

const config = loadConfig();
const provider = createRemittanceProvider({
  client: createWiseClient(config.wise),
  webhookPublicKey: config.webhookPublicKey,
  webhookToleranceMs: config.webhookToleranceMs,
  version: process.env.npm_package_version ?? "0.1.0",
});
const served = await serveAdapter({ provider, host: config.host, port: config.port });
process.stdout.write(`${JSON.stringify({ service: "adapter-remittance", address: served.address })}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void served.shutdown().then(() => process.exit(0));
  });
}
