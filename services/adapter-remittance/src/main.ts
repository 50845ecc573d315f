// The remittance adapter process: the kit's adapter main (one JSON line with its address, SIGTERM
// drains).
import { runAdapterMain } from "@paymesh/adapter-kit";
import { loadConfig } from "./config.ts";
import { createRemittanceProvider } from "./provider.ts";
import { createWiseClient } from "./wise-client.ts";

await runAdapterMain({
  service: "adapter-remittance",
  loadConfig: () => loadConfig(),
  provider: (config, version) =>
    createRemittanceProvider({
      client: createWiseClient(config.wise),
      webhookPublicKey: config.webhookPublicKey,
      webhookToleranceMs: config.webhookToleranceMs,
      version,
    }),
});
