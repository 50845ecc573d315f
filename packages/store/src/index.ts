// The durable payment store: the PaymentStore contract and its implementations.
export { createMemoryPaymentStore, type JournalEntry } from "./memory-payment-store.ts";
export {
  maskAccountNumber,
  methodType,
  type PaymentMethod,
  type PaymentRecord,
  type TransitionCause,
  toPaymentMessage,
} from "./payment-record.ts";
export { canTransition, isTerminal } from "./payment-state.ts";
export type {
  InsertResult,
  PaymentChange,
  PaymentFilter,
  PaymentPage,
  PaymentStore,
  UpdateResult,
} from "./payment-store.ts";
