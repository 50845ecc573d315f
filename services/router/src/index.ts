// The router as a library, for tests and the local launcher. Nothing outside services/router
// imports router internals beyond this.

export { type RunningRouter, startRouter } from "./router.ts";
export { loadRouterConfig, type RouterConfig, resolveRouterConfig } from "./router-config.ts";
