// What other packages (the launcher, e2e tests) may use from the remittance adapter.
export { customerTransactionId } from "./customer-transaction-id.ts";
export { loadRemittanceAdapterConfig, type RemittanceAdapterConfig } from "./remittance-adapter-config.ts";
export { createRemittanceProvider, type RemittanceProviderOptions } from "./remittance-provider.ts";
export { createWiseClient, type WiseAnswer, type WiseClient, type WiseClientOptions } from "./wise-client.ts";
export { isWiseTransportError, type WiseExchange, WiseTransportError } from "./wise-http.ts";
export { maskAccountNumber, maskBody, maskName } from "./wise-masking.ts";
