// A webhook consumer process for the crash test: it applies each job with the router's own handler
// over the real store, then stalls before acknowledging, so the test can kill it at the worst
// moment (the change committed, the message not yet acked). Env: DATABASE_URL, PAYMESH_DB_SCHEMA,
// AMQP_URL, QUEUE_NAME. Prints {"service":"stalling-webhook-consumer"} once it consumes.
import { createRabbitWorkQueue } from "@paymesh/queue";
import { applyWebhookEvent, createWebhookJobHandler } from "@paymesh/router";
import { openPaymentStore } from "@paymesh/store";

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is required`);
  return value;
};

const store = await openPaymentStore({
  databaseUrl: required("DATABASE_URL"),
  schema: required("PAYMESH_DB_SCHEMA"),
});
const queue = await createRabbitWorkQueue({
  url: required("AMQP_URL"),
  name: required("QUEUE_NAME"),
  retryDelaysMs: [50],
  maxAttempts: 3,
});
const handle = createWebhookJobHandler({
  applyWebhookEvent: (adapter, event) => applyWebhookEvent(store, adapter, event),
});
await queue.consume(async (message) => {
  await handle(message);
  process.stderr.write(`applied ${message.id}; stalling before the ack\n`);
  await new Promise<never>(() => {});
});
process.stdout.write(`${JSON.stringify({ service: "stalling-webhook-consumer" })}\n`);
