// What other code may use from the QRIS adapter: the provider, its SNAP client, and its config.
export { loadConfig, type QrisAdapterConfig } from "./config.ts";
export { createQrisProvider, type QrisProviderOptions } from "./provider.ts";
export { createSnapQrClient, type SnapQrClient, type SnapQrClientOptions } from "./snap-client.ts";
export { DEFAULT_NOTIFICATION_TOLERANCE_MS, parseSnapNotification } from "./snap-webhook.ts";
export type {
  CancelQrAnswer,
  GenerateQrAnswer,
  QueryQrAnswer,
  SettlementsAnswer,
  SnapAnswer,
  SnapExchange,
  SnapOperation,
} from "./snap-wire.ts";
