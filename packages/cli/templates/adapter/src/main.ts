// The adapter process: the kit's adapter main (one JSON line with its gRPC address and its HTTP
// /metrics, /healthz and /readyz; a wrong variable is one stderr line and exit status 2; SIGTERM
// drains calls in flight).
import { runAdapterMain } from "@paymesh/adapter-kit";
import { loadConfig } from "./config.ts";
import { createProvider } from "./provider.ts";

await runAdapterMain({
  service: "adapter-__name__",
  loadConfig: () => loadConfig(),
  provider: (config, version) => createProvider({ ...config, version }),
});
