// What other code may use from the VA adapter: the provider factory, its client, and config.

export { loadConfig, type VaAdapterConfig } from "./config.ts";
export {
  createMidtransClient,
  type MidtransAnswer,
  type MidtransClient,
  type MidtransClientOptions,
  type MidtransExchange,
} from "./midtrans-client.ts";
export { createMidtransVaProvider, type MidtransVaProviderOptions } from "./provider.ts";
