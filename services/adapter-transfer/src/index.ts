// What others may import from the transfer adapter: the provider, its Xendit client and config.
export { checkAccountNumber, SUPPORTED_BANK_CODES, xenditBankCode } from "./bank-codes.ts";
export { loadTransferAdapterConfig, type TransferAdapterConfig } from "./config.ts";
export { maskAccountNumber, maskJsonText, maskName } from "./masking.ts";
export { type PayoutInstruction, payoutInstruction } from "./payout-instruction.ts";
export { createTransferProvider, type TransferProviderOptions } from "./transfer-provider.ts";
export { callbackResponse, callbackTokenMatches, confirmCallback, readCallback } from "./xendit-callback.ts";
export {
  createXenditClient,
  type XenditAnswer,
  type XenditClientOptions,
  type XenditDisbursementClient,
} from "./xendit-client.ts";
export { MAPPED_CODES, type XenditOutcome, xenditErrorOutcome, xenditFailure } from "./xendit-error-map.ts";
export {
  isXenditTransportError,
  type XenditExchange,
  type XenditOperation,
  XenditTransportError,
} from "./xendit-http.ts";
export type { Disbursement, TransactionRecord, TransactionsPage } from "./xendit-shapes.ts";
export { paymentStatusFromXendit } from "./xendit-status.ts";
