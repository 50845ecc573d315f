// The router as a library, for tests and the local launcher. Nothing outside services/router
// imports router internals beyond this.

export {
  createDeadLetterAdmin,
  type DeadLetterAdmin,
  type DeadLetterAdminOptions,
  type DeadLetterJson,
} from "./admin-dead-letters.ts";
export { applyWebhookEvent } from "./apply-webhook-event.ts";
export { type Authenticator, createAuthenticator } from "./caller-auth.ts";
export { createIdGenerator } from "./ids.ts";
export { type RunningRouter, startRouter } from "./router.ts";
export { loadRouterConfig, type RouterConfig, resolveRouterConfig } from "./router-config.ts";
export {
  createWebhookJobHandler,
  readWebhookJob,
  type WebhookJob,
  webhookJobMessage,
} from "./webhook-jobs.ts";
