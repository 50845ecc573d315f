// The transfer adapter process: the kit's adapter main (one JSON line with its address, SIGTERM
// drains), and each Xendit exchange logged through the process's logger (bodies masked).
import { type HttpExchange, runAdapterMain } from "@paymesh/adapter-kit";
import type { Logger } from "@paymesh/telemetry";
import { loadTransferAdapterConfig } from "./config.ts";
import { createTransferProvider } from "./provider.ts";
import { createXenditClient } from "./xendit-client.ts";

function logExchange(log: Logger, exchange: HttpExchange): void {
  // Bodies are already masked (account numbers to their last 4 digits, names to an initial).
  log.info(
    {
      source: "provider",
      event: "xendit_exchange",
      operation: exchange.operation,
      method: exchange.httpMethod,
      url: exchange.url,
      status: exchange.responseStatus ?? null,
      durationMicros: exchange.durationMicros,
      requestBody: exchange.requestBody,
      responseBody: exchange.responseBody ?? null,
      transportError: exchange.transportError ?? null,
    },
    "xendit exchange",
  );
}

await runAdapterMain({
  service: "adapter-transfer",
  loadConfig: () => loadTransferAdapterConfig(),
  provider: (config, version, log) =>
    createTransferProvider({
      client: createXenditClient(config.xendit),
      callbackToken: config.callbackToken,
      confirmCallbacks: config.confirmCallbacks,
      version,
      onExchange: (exchange) => logExchange(log, exchange),
    }),
});
