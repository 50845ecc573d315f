// What other packages (the launcher, e2e tests) may use from the remittance adapter.
export { loadConfig, type RemittanceAdapterConfig } from "./config.ts";
export { createRemittanceProvider, type RemittanceProviderOptions } from "./provider.ts";
export {
  createWiseClient,
  type WiseAnswer,
  type WiseClient,
  type WiseClientOptions,
  type WiseExchange,
  type WiseOperation,
} from "./wise-client.ts";
export { wiseMasker } from "./wise-mask.ts";
export { customerTransactionId } from "./wise-wire.ts";
