// The router process: reads its config from the environment, serves gRPC and HTTP, prints one
// JSON line with its addresses (tests and the launcher read it), and drains on SIGTERM.

import { startRouter } from "./router.ts";
import { loadRouterConfig } from "./router-config.ts";

const router = await startRouter(loadRouterConfig());
process.stdout.write(
  `${JSON.stringify({ service: "router", grpc: router.grpcAddress, http: router.httpUrl })}\n`,
);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void router.close().then(() => process.exit(0));
  });
}
