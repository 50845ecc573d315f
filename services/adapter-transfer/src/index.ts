// What others may import from the transfer adapter: the provider, its config and its Xendit client.
export { loadTransferAdapterConfig, type TransferAdapterConfig } from "./config.ts";
export { createTransferProvider, type TransferProviderOptions } from "./provider.ts";
export { SUPPORTED_BANK_CODES, xenditBankCode } from "./xendit-bank-codes.ts";
export {
  createXenditClient,
  type XenditAnswer,
  type XenditClientOptions,
  type XenditDisbursementClient,
  type XenditExchange,
  type XenditOperation,
} from "./xendit-client.ts";
export type { Disbursement, TransactionsPage } from "./xendit-wire.ts";
