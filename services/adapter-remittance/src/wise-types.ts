// The parts of Wise's answers the adapter reads (PROVIDERS.md, "Wise"). JSON numbers arrive as their
// exact decimal text (src/wise-json.ts), so every amount, rate and id below is a string.

/** `paymentOptions[].fee`: Wise's fee, itemized, in the source currency. */
export interface WiseFee {
  transferwise: string;
  payIn: string;
  discount: string;
  partner: string;
  total: string;
}

/** One way to pay for a quote (`BALANCE`, `BANK_TRANSFER`, …) with its amounts and fee. */
export interface WisePaymentOption {
  payIn: string;
  disabled: boolean;
  sourceAmount: string;
  targetAmount: string;
  fee: WiseFee;
}

/** A v3 quote. */
export interface WiseQuote {
  id: string;
  sourceCurrency: string;
  targetCurrency: string;
  rate: string;
  rateType: string;
  /** ISO 8601; the rate is guaranteed until then. */
  rateExpirationTime: string;
  /** PENDING, ACCEPTED (a transfer uses it), FUNDED, EXPIRED. */
  status: string;
  paymentOptions: WisePaymentOption[];
}

/** A recipient account. */
export interface WiseRecipient {
  id: string;
  currency: string;
  type: string;
}

/** A v1 transfer. */
export interface WiseTransfer {
  id: string;
  /** The Wise state, e.g. `incoming_payment_waiting`, `outgoing_payment_sent`. */
  status: string;
  targetAccount: string;
  quoteUuid: string;
  sourceCurrency: string;
  sourceValue: string;
  targetCurrency: string;
  targetValue: string;
  /** Echoed by Wise (*unconfirmed* that every answer carries it); empty when absent. */
  customerTransactionId: string;
}

/** The answer to funding a transfer: `COMPLETED`, or `REJECTED` with an `errorCode`. */
export interface WiseFunding {
  type: string;
  status: string;
  errorCode: string;
}

/** A multi-currency balance. */
export interface WiseBalance {
  id: string;
  currency: string;
}

/** A signed amount in a statement. */
export interface WiseStatementAmount {
  value: string;
  currency: string;
}

/** One balance statement line. */
export interface WiseStatementTransaction {
  type: string;
  date: string;
  amount: WiseStatementAmount;
  totalFees: WiseStatementAmount | undefined;
  detailsType: string;
  /** e.g. "TRANSFER-50000001". */
  referenceNumber: string;
}

/** One entry of Wise's error list. */
export interface WiseErrorItem {
  code: string;
  message: string;
  /** The field at fault, in Wise's names ("accountNumber", "quoteUuid", "details.reference"). */
  path: string | undefined;
}
