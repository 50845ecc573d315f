import { createMemoryIdempotencyStore, createRedisIdempotencyStore } from "@paymesh/idempotency";
import { createRabbitEventPublisher, createRabbitWorkQueue } from "@paymesh/queue";
import { openPaymentStore } from "@paymesh/store";
import type { Logger } from "@paymesh/telemetry";
import type { RouterBackends } from "./router.ts";
import type { RouterConfig } from "./router-config.ts";

/**
 * Opens the backends the environment names: Postgres at DATABASE_URL (else PGlite, kept in
 * PAYMESH_DATA_DIR when set, else in memory), Redis at REDIS_URL (else in process memory) and
 * RabbitMQ at AMQP_URL for the webhook work queue and payments.events (else in process).
 * PAYMESH_DB_SCHEMA, PAYMESH_IDEMPOTENCY_PREFIX and PAYMESH_AMQP_PREFIX let several routers share
 * one server apart from others (tests).
 */
export async function openRouterBackends(
  config: RouterConfig,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<
  Required<Pick<RouterBackends, "store" | "idempotency">> &
    Pick<RouterBackends, "webhookQueue" | "events"> & {
      description: { store: string; idempotency: string; queue: string };
    }
> {
  const store = await openPaymentStore({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.PAYMESH_DATA_DIR ? { dataDir: env.PAYMESH_DATA_DIR } : {}),
    ...(env.PAYMESH_DB_SCHEMA ? { schema: env.PAYMESH_DB_SCHEMA } : {}),
  });
  const idempotency = env.REDIS_URL
    ? createRedisIdempotencyStore({
        url: env.REDIS_URL,
        retentionMs: config.idempotencyRetentionMs,
        ...(env.PAYMESH_IDEMPOTENCY_PREFIX ? { keyPrefix: env.PAYMESH_IDEMPOTENCY_PREFIX } : {}),
      })
    : createMemoryIdempotencyStore({ retentionMs: config.idempotencyRetentionMs });
  const prefix = env.PAYMESH_AMQP_PREFIX ?? "";
  const amqpUrl = env.AMQP_URL;
  // Without AMQP_URL, startRouter falls back to its in-process queue and publisher.
  const rabbit = amqpUrl
    ? {
        webhookQueue: await createRabbitWorkQueue({
          url: amqpUrl,
          name: `${prefix}paymesh.webhooks`,
          retryDelaysMs: config.webhooks.retryDelaysMs,
          maxAttempts: config.webhooks.maxAttempts,
          // Lost connections and failed reconnects, as log lines: the queue keeps trying by itself.
          onConnectionError: (error) =>
            log.warn(
              { source: "amqp", component: "webhook-queue", err: error },
              "webhook queue connection lost",
            ),
        }),
        events: await createRabbitEventPublisher({ url: amqpUrl, exchange: `${prefix}payments.events` }),
      }
    : {};
  return {
    store,
    idempotency,
    ...rabbit,
    description: {
      store: env.DATABASE_URL
        ? "postgres"
        : env.PAYMESH_DATA_DIR
          ? `pglite (${env.PAYMESH_DATA_DIR})`
          : "pglite (in memory)",
      idempotency: env.REDIS_URL ? "redis" : "memory",
      queue: amqpUrl ? "rabbitmq" : "in process",
    },
  };
}
