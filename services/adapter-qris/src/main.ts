// The QRIS adapter process: the kit's adapter main (one JSON line with its address, SIGTERM drains).
import { runAdapterMain } from "@paymesh/adapter-kit";
import { createQrisProvider, createSnapQrClient, loadConfig } from "./index.ts";

await runAdapterMain({
  service: "adapter-qris",
  loadConfig: () => loadConfig(),
  provider: (config, version) =>
    createQrisProvider({
      client: createSnapQrClient(config.snap),
      bankPublicKey: config.bankPublicKey,
      webhookToleranceMs: config.webhookToleranceMs,
      version,
    }),
});
