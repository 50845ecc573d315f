import { ConfigError } from "@paymesh/adapter-kit";
import { createMemoryIdempotencyStore, createRedisIdempotencyStore } from "@paymesh/idempotency";
import {
  createRabbitEventPublisher,
  createRabbitWorkQueue,
  RABBIT_QUEUE_TYPES,
  type RabbitQueueType,
} from "@paymesh/queue";
import {
  createReconLedger,
  hasReconSettings,
  loadReconSettings,
  type ReconSettings,
} from "@paymesh/reconciler";
import { createReviewTrail, isSealedValueError, openPaymentStore, type SqlClient } from "@paymesh/store";
import type { Logger } from "@paymesh/telemetry";
import type { RouterBackends } from "./router.ts";
import { loadRouterKeys, type RouterConfig } from "./router-config.ts";

/**
 * Opens the backends the environment names: Postgres at DATABASE_URL (else PGlite, kept in
 * PAYMESH_DATA_DIR when set, else in memory), Redis at REDIS_URL, or the Redis Cluster whose seed
 * nodes REDIS_CLUSTER_NODES lists ("host:port,host:port"; else in process memory), and
 * RabbitMQ at AMQP_URL for the webhook work queue and payments.events (else in process).
 * PAYMESH_DB_SCHEMA, PAYMESH_IDEMPOTENCY_PREFIX and PAYMESH_AMQP_PREFIX let several routers share
 * one server apart from others (tests). PAYMESH_KEK holds the keys payment methods are sealed with
 * (loadRouterKeys); rows are brought to the current key before the router serves.
 * PAYMESH_RECON_CONFIG (or its file), given with the embedded database only, is the reconciliation
 * this process hosts on it (embeddedReconciliation).
 */
export async function openRouterBackends(
  config: RouterConfig,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<
  Required<Pick<RouterBackends, "store" | "idempotency" | "recon" | "reviewTrail">> &
    Pick<RouterBackends, "webhookQueue" | "events"> & {
      /** The reconciliation to host on the embedded database, when PAYMESH_RECON_CONFIG asks for it. */
      reconciliation?: { sql: SqlClient; settings: ReconSettings };
      description: { store: string; idempotency: string; queue: string; keys: string; recon: string };
    }
> {
  // Checked before anything opens, whether or not AMQP_URL is set: a wrong value is a config error.
  const webhookQueueType = queueType(env.PAYMESH_QUEUE_TYPE);
  const reconSettings = embeddedReconciliation(env);
  // Read first: a missing or malformed key must stop the router before it touches the database.
  const keys = loadRouterKeys(env);
  const store = await openPaymentStore({
    keys: keys.keys,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.PAYMESH_DATA_DIR ? { dataDir: env.PAYMESH_DATA_DIR } : {}),
    ...(env.PAYMESH_DB_SCHEMA ? { schema: env.PAYMESH_DB_SCHEMA } : {}),
  });
  try {
    await store.protectAtRest();
  } catch (error) {
    await store.close();
    if (!isSealedValueError(error)) throw error;
    throw new ConfigError(
      "router",
      "PAYMESH_KEK",
      `does not open what the store has sealed: ${error.message}`,
    );
  }
  const clusterNodes = env.REDIS_CLUSTER_NODES?.split(",").filter((node) => node.trim() !== "");
  const redis = clusterNodes?.length ? { clusterNodes } : env.REDIS_URL ? { url: env.REDIS_URL } : undefined;
  const idempotency = redis
    ? createRedisIdempotencyStore({
        ...redis,
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
          queueType: webhookQueueType,
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
    // The reconciler writes its runs into this same database; the router only reads them and
    // appends operators' decisions.
    recon: createReconLedger({ sql: store.sql }),
    // Operators' decisions about payments raised for review, next to the payments they settle.
    reviewTrail: createReviewTrail(store.sql),
    ...(reconSettings === undefined ? {} : { reconciliation: { sql: store.sql, settings: reconSettings } }),
    idempotency,
    ...rabbit,
    description: {
      store: env.DATABASE_URL
        ? "postgres"
        : env.PAYMESH_DATA_DIR
          ? `pglite (${env.PAYMESH_DATA_DIR})`
          : "pglite (in memory)",
      idempotency: redis === undefined ? "memory" : "clusterNodes" in redis ? "redis cluster" : "redis",
      queue: amqpUrl ? "rabbitmq" : "in process",
      keys: keys.source,
      recon: reconSettings === undefined ? "off" : "in process",
    },
  };
}

/**
 * The reconciliation settings this router hosts, read with the reconciler's own reader. Only the
 * embedded database's owner may host it: PGlite is one connection in this process, so no
 * reconciler process could open it. With DATABASE_URL the reconciler is its own process
 * (services/reconciler), and a PAYMESH_RECON_CONFIG given to the router is a mistake said at start.
 */
function embeddedReconciliation(env: NodeJS.ProcessEnv): ReconSettings | undefined {
  if (!hasReconSettings(env)) return undefined;
  if (env.DATABASE_URL) {
    throw new ConfigError(
      "router",
      env.PAYMESH_RECON_CONFIG ? "PAYMESH_RECON_CONFIG" : "PAYMESH_RECON_CONFIG_FILE",
      "is for the embedded database only: with DATABASE_URL, run the reconciler as its own process (services/reconciler)",
    );
  }
  return loadReconSettings(env, "router");
}

/** PAYMESH_QUEUE_TYPE: the RabbitMQ queue type of the webhook work queue. @default "classic" */
function queueType(value: string | undefined): RabbitQueueType {
  if (value === undefined || value === "") return "classic";
  const known = RABBIT_QUEUE_TYPES.find((type) => type === value);
  if (known === undefined)
    throw new Error(
      `PAYMESH_QUEUE_TYPE must be one of ${RABBIT_QUEUE_TYPES.join(", ")}, got ${JSON.stringify(value)}`,
    );
  return known;
}
