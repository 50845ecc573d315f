// What other code may use from this adapter: its provider factory and its configuration.
export { type Config, loadConfig } from "./config.ts";
export { createProvider, type ProviderOptions } from "./provider.ts";
