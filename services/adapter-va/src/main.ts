// The VA adapter process: the kit's adapter main (one JSON line with its address, a wrong variable
// one stderr line and exit status 2, SIGTERM drains).
import { runAdapterMain } from "@paymesh/adapter-kit";
import { loadConfig } from "./config.ts";
import { createMidtransClient } from "./midtrans-client.ts";
import { createMidtransVaProvider } from "./provider.ts";

await runAdapterMain({
  service: "adapter-va",
  loadConfig: () => loadConfig(),
  provider: (config, version) =>
    createMidtransVaProvider({
      client: createMidtransClient(config.midtrans),
      serverKey: config.midtrans.serverKey,
      version,
    }),
});
