// The transfer adapter process: serves ProviderAdapter over gRPC, prints one JSON line with its
// address (the launcher and tests read it), logs each Xendit exchange as a masked JSON line on
// stderr, and drains calls in flight on SIGTERM.
import { type HttpExchange, serveAdapter } from "@paymesh/adapter-kit";
import { loadTransferAdapterConfig } from "./config.ts";
import { createTransferProvider } from "./provider.ts";
import { createXenditClient } from "./xendit-client.ts";

function logExchange(exchange: HttpExchange): void {
  // Bodies are already masked (account numbers to their last 4 digits, names to an initial).
  const line = {
    service: "adapter-transfer",
    event: "xendit_exchange",
    operation: exchange.operation,
    method: exchange.httpMethod,
    url: exchange.url,
    status: exchange.responseStatus ?? null,
    durationMicros: exchange.durationMicros,
    requestBody: exchange.requestBody,
    responseBody: exchange.responseBody ?? null,
    transportError: exchange.transportError ?? null,
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

const config = loadTransferAdapterConfig();
const provider = createTransferProvider({
  client: createXenditClient(config.xendit),
  callbackToken: config.callbackToken,
  confirmCallbacks: config.confirmCallbacks,
  version: process.env.npm_package_version ?? "0.1.0",
  onExchange: logExchange,
});
const served = await serveAdapter({ provider, host: config.host, port: config.port });
process.stdout.write(`${JSON.stringify({ service: "adapter-transfer", address: served.address })}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void served.shutdown().then(() => process.exit(0));
  });
}
