// The reconciler process: reads its config from the environment, schedules and runs the daily
// reconciliation of every configured adapter, serves /metrics, /healthz and /readyz, prints one
// JSON line with its address (tests and the launcher read it), and drains on SIGTERM.

import { ConfigError } from "@paymesh/adapter-kit";
import {
  createMemoryEventPublisher,
  createMemoryWorkQueue,
  createRabbitEventPublisher,
  createRabbitWorkQueue,
} from "@paymesh/queue";
import { createPgSqlClient } from "@paymesh/store";
import { createLogger, LogSettingsError, readLogSettings, shutdownTracing } from "@paymesh/telemetry";
import { loadReconcilerConfig, type ReconcilerConfig } from "./reconciler-config.ts";
import { startReconcilerService } from "./reconciler-service.ts";

const SERVICE = "reconciler";

let config: ReconcilerConfig;
let level: ReturnType<typeof readLogSettings>["level"];
try {
  level = readLogSettings().level;
  config = loadReconcilerConfig();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof LogSettingsError)) throw error;
  process.stderr.write(`${error instanceof LogSettingsError ? `${SERVICE}: ` : ""}${error.message}\n`);
  process.exit(2);
}
const log = createLogger({ service: SERVICE, level });
const sql = createPgSqlClient({
  databaseUrl: config.databaseUrl,
  ...(config.schema === undefined ? {} : { schema: config.schema }),
});
const queueName = `${config.amqpPrefix}paymesh.recon`;
const retry = { retryDelaysMs: config.retryDelaysMs, maxAttempts: config.maxAttempts };
const queue = config.amqpUrl
  ? await createRabbitWorkQueue({
      url: config.amqpUrl,
      name: queueName,
      ...retry,
      // One run at a time per process: a run is long, and a held job is one another reconciler could take.
      prefetch: 1,
      onConnectionError: (error) =>
        log.warn({ source: "amqp", component: "recon-queue", err: error }, "recon queue connection lost"),
    })
  : createMemoryWorkQueue({ name: queueName, ...retry });
const events = config.amqpUrl
  ? await createRabbitEventPublisher({ url: config.amqpUrl, exchange: `${config.amqpPrefix}payments.recon` })
  : createMemoryEventPublisher({ retain: 10_000 });
const service = await startReconcilerService(
  { sql, queue, events },
  {
    adapters: config.adapters,
    lookBackDays: config.lookBackDays,
    intervalMs: config.intervalMs,
    host: config.host,
    httpPort: config.httpPort,
    grpcPort: config.grpcPort,
    operators: config.operators,
    log,
  },
);
process.stdout.write(
  `${JSON.stringify({
    service: SERVICE,
    http: service.httpUrl,
    ...(service.grpcAddress === undefined ? {} : { grpc: service.grpcAddress }),
    store: "postgres",
    queue: config.amqpUrl ? "rabbitmq" : "in process",
    adapters: Object.keys(config.adapters),
  })}\n`,
);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void service
      .close()
      .then(() => Promise.all([queue.close(), events.close()]))
      .then(() => sql.close())
      // The last spans (the drain's own) are exported before the process goes.
      .then(shutdownTracing)
      .then(() => process.exit(0));
  });
}
