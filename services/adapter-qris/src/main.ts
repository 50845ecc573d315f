// The QRIS adapter process: serves ProviderAdapter over gRPC, prints one JSON line with its
// address (the launcher and tests read it), and drains calls in flight on SIGTERM.
import { serveAdapter } from "@paymesh/adapter-kit";
import { createQrisProvider, createSnapQrClient, loadConfig } from "./index.ts";

const config = loadConfig();
const provider = createQrisProvider({
  client: createSnapQrClient(config.snap),
  bankPublicKey: config.bankPublicKey,
  webhookToleranceMs: config.webhookToleranceMs,
  version: process.env.npm_package_version ?? "0.1.0",
});
const served = await serveAdapter({ provider, host: config.host, port: config.port });
process.stdout.write(`${JSON.stringify({ service: "adapter-qris", address: served.address })}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void served.shutdown().then(() => process.exit(0));
  });
}
