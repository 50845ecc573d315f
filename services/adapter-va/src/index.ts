// What other code may use from the VA adapter: the provider factory, its client, and config.
export {
  createMidtransClient,
  isMidtransTransportError,
  type MidtransAnswer,
  type MidtransClient,
  type MidtransClientOptions,
  type MidtransExchange,
  MidtransTransportError,
} from "./midtrans-client.ts";
export { createMidtransVaProvider, type MidtransVaProviderOptions } from "./midtrans-provider.ts";
export { loadVaAdapterConfig, type VaAdapterConfig } from "./va-adapter-config.ts";
