// The router as a library, for tests and the local launcher. Nothing outside services/router
// imports router internals beyond this.

export { type Authenticator, createAuthenticator } from "@paymesh/adapter-kit";
export { createIdGenerator } from "./ids.ts";
export { type RunningRouter, startRouter } from "./router.ts";
export { loadRouterConfig, type RouterConfig, resolveRouterConfig } from "./router-config.ts";
export {
  createDeadLetterAdmin,
  type DeadLetterAdmin,
  type DeadLetterAdminOptions,
  type DeadLetterJson,
} from "./server/admin-dead-letters.ts";
export { applyWebhookEvent } from "./webhooks/apply-webhook-event.ts";
export {
  createWebhookJobHandler,
  readWebhookJob,
  type WebhookJob,
  webhookJobMessage,
} from "./webhooks/webhook-jobs.ts";
