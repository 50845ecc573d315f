import { isRecord, type JsonRecord } from "./wise-json.ts";
import type {
  WiseBalance,
  WiseErrorItem,
  WiseFunding,
  WisePaymentOption,
  WiseQuote,
  WiseRecipient,
  WiseStatementAmount,
  WiseStatementTransaction,
  WiseTransfer,
} from "./wise-types.ts";

/** A 2xx answer without the fields the adapter relies on: the outcome is unknown, not a success. */
export class MalformedAnswer extends Error {}

function text(record: JsonRecord, key: string): string {
  const value = record[key];
  if (typeof value !== "string" || value === "") throw new MalformedAnswer(`answer lacks ${key}`);
  return value;
}

function optionalText(record: JsonRecord, key: string): string {
  const value = record[key];
  return typeof value === "string" ? value : "";
}

function object(value: unknown, what: string): JsonRecord {
  if (!isRecord(value)) throw new MalformedAnswer(`${what} is not an object`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedAnswer(`${what} is not a list`);
  return value;
}

function readOption(value: unknown): WisePaymentOption {
  const option = object(value, "paymentOptions[]");
  const fee = object(option.fee, "paymentOptions[].fee");
  const part = (key: string) => optionalText(fee, key) || "0";
  return {
    payIn: text(option, "payIn"),
    disabled: option.disabled === true,
    sourceAmount: text(option, "sourceAmount"),
    targetAmount: text(option, "targetAmount"),
    fee: {
      transferwise: part("transferwise"),
      payIn: part("payIn"),
      discount: part("discount"),
      partner: part("partner"),
      total: text(fee, "total"),
    },
  };
}

/** A v3 quote answer. */
export function readQuote(record: JsonRecord): WiseQuote {
  return {
    id: text(record, "id"),
    sourceCurrency: text(record, "sourceCurrency"),
    targetCurrency: text(record, "targetCurrency"),
    rate: text(record, "rate"),
    rateType: optionalText(record, "rateType"),
    rateExpirationTime: text(record, "rateExpirationTime"),
    status: optionalText(record, "status"),
    paymentOptions: list(record.paymentOptions, "paymentOptions").map(readOption),
  };
}

/** A recipient account answer. */
export function readRecipient(record: JsonRecord): WiseRecipient {
  return { id: text(record, "id"), currency: text(record, "currency"), type: text(record, "type") };
}

/** A transfer answer. */
export function readTransfer(record: JsonRecord): WiseTransfer {
  return {
    id: text(record, "id"),
    status: text(record, "status"),
    targetAccount: optionalText(record, "targetAccount"),
    quoteUuid: optionalText(record, "quoteUuid"),
    sourceCurrency: text(record, "sourceCurrency"),
    sourceValue: text(record, "sourceValue"),
    targetCurrency: text(record, "targetCurrency"),
    targetValue: text(record, "targetValue"),
    customerTransactionId: optionalText(record, "customerTransactionId"),
  };
}

/** A funding answer. */
export function readFunding(record: JsonRecord): WiseFunding {
  return {
    type: text(record, "type"),
    status: text(record, "status"),
    errorCode: optionalText(record, "errorCode"),
  };
}

/** A list answer (transfers, balances): the body is a JSON array. */
export function readList<T>(value: unknown, read: (record: JsonRecord) => T): T[] {
  return list(value, "answer").map((item) => read(object(item, "list item")));
}

/** A balance. */
export function readBalance(record: JsonRecord): WiseBalance {
  return { id: text(record, "id"), currency: text(record, "currency") };
}

function readStatementAmount(value: unknown): WiseStatementAmount {
  const amount = object(value, "amount");
  return { value: text(amount, "value"), currency: text(amount, "currency") };
}

/** A balance statement: its transactions. */
export function readStatement(record: JsonRecord): WiseStatementTransaction[] {
  return list(record.transactions, "transactions").map((item) => {
    const line = object(item, "transaction");
    const details = isRecord(line.details) ? line.details : {};
    return {
      type: text(line, "type"),
      date: text(line, "date"),
      amount: readStatementAmount(line.amount),
      totalFees:
        line.totalFees === undefined || line.totalFees === null
          ? undefined
          : readStatementAmount(line.totalFees),
      detailsType: optionalText(details, "type"),
      referenceNumber: optionalText(line, "referenceNumber"),
    };
  });
}

/**
 * Wise's error answers as a list: `{"errors":[{code,message,path}]}` (PROVIDERS.md), the OAuth2
 * style `{"error","error_description"}` of a refused token, or nothing recognizable (an HTML page
 * from a gateway), which is an empty list.
 */
export function readErrors(value: unknown): WiseErrorItem[] {
  if (!isRecord(value)) return [];
  if (Array.isArray(value.errors)) {
    return value.errors.filter(isRecord).map((entry) => ({
      code: optionalText(entry, "code"),
      message: optionalText(entry, "message"),
      path: optionalText(entry, "path") || undefined,
    }));
  }
  if (typeof value.error === "string") {
    return [{ code: value.error, message: optionalText(value, "error_description"), path: undefined }];
  }
  return [];
}
